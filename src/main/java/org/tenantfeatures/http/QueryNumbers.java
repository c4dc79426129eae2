package org.tenantfeatures.http;

import java.util.OptionalLong;

/**
 * A whole number in a query parameter ({@code ?limit=}, {@code ?before=}, {@code ?minRevision=}):
 * ASCII digits only, 1 to 18 of them. {@code Long.parseLong} would also take a sign and any
 * Unicode digit ({@code "+5"}, {@code "٣"}, {@code "５"}), so that two readers of one URL (a proxy's
 * rule and this service) could read different numbers, or one a number where the other sees none.
 */
public final class QueryNumbers {

  /** 18 digits always fit a {@code long}. */
  static final int MAX_DIGITS = 18;

  private QueryNumbers() {
  }

  /** The number {@code text} spells, if it is 1 to 18 ASCII digits and within {@code min}..{@code max}. */
  public static OptionalLong parse(String text, long min, long max) {
    if (text == null || text.isEmpty() || text.length() > MAX_DIGITS) {
      return OptionalLong.empty();
    }
    long value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
      value = value * 10 + (c - '0');
    }
    return value >= min && value <= max ? OptionalLong.of(value) : OptionalLong.empty();
  }
}
