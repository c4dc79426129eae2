package org.tenantfeatures.client;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tenant ids are UUIDs compared in canonical lower-case form. {@code UUID.fromString} accepts
 * shortened groups such as {@code 1-2-3-4-5}, which would make two spellings of one tenant, so
 * the form is checked strictly here, and only the canonical form ever travels on the bus.
 */
public final class TenantIds {

  private static final Pattern UUID_FORM =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private TenantIds() {
  }

  /** The canonical lower-case form, or empty if {@code text} is not a UUID in 8-4-4-4-12 form. */
  public static Optional<String> canonical(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    return UUID_FORM.matcher(trimmed).matches() ? Optional.of(trimmed.toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  /** True only for the canonical form itself: what a bus message must carry. */
  public static boolean isCanonical(Object value) {
    return value instanceof String s && canonical(s).filter(s::equals).isPresent();
  }
}
