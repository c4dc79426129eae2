package org.tenantfeatures.client;

import java.util.Locale;
import java.util.Optional;

/**
 * Tenant ids are UUIDs compared in canonical lower-case form. {@code UUID.fromString} accepts
 * shortened groups such as {@code 1-2-3-4-5}, which would make two spellings of one tenant, so
 * the form is checked strictly here, and only the canonical form ever travels on the bus.
 */
public final class TenantIds {

  private TenantIds() {
  }

  /** The canonical lower-case form, or empty if {@code text} is not a UUID in 8-4-4-4-12 form. */
  public static Optional<String> canonical(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    return isUuidForm(trimmed) ? Optional.of(trimmed.toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  /**
   * {@code [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}, checked
   * by hand: it runs on every request, where the regular expression showed in the profile.
   */
  private static boolean isUuidForm(String s) {
    if (s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
          : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** True only for the canonical form itself: what a bus message must carry. */
  public static boolean isCanonical(Object value) {
    return value instanceof String s && canonical(s).filter(s::equals).isPresent();
  }
}
