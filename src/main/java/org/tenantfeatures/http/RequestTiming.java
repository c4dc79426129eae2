package org.tenantfeatures.http;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Phases of one tenant read, for {@code Server-Timing} and the DEBUG log line: whether the cache
 * answered, the event-bus round trip, the database side's own time, and the total.
 */
public final class RequestTiming {

  final long start = System.nanoTime();
  public final AtomicReference<String> cache = new AtomicReference<>("hit");
  public volatile double busMs = -1;
  public volatile double dbMs = -1;

  public String header() {
    StringBuilder h = new StringBuilder("cache;desc=").append(cache.get());
    if (busMs >= 0) {
      h.append(", bus;dur=").append(ms(busMs));
    }
    if (dbMs >= 0) {
      h.append(", db;dur=").append(ms(dbMs));
    }
    return h.append(", total;dur=").append(ms(totalMs())).toString();
  }

  double totalMs() {
    return (System.nanoTime() - start) / 1e6;
  }

  /**
   * Two decimals, as {@code String.format("%.2f")} writes them, without its parser and
   * formatter: the header is built on every read, and the formatter was 5 % of the cached path's
   * CPU samples (issue 13's profile).
   */
  static String ms(double value) {
    long hundredths = Math.round(Math.max(0, value) * 100);
    long fraction = hundredths % 100;
    return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
  }
}
