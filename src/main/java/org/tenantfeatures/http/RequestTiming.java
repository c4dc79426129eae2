package org.tenantfeatures.http;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Phases of one tenant read, for {@code Server-Timing} and the DEBUG log line: whether the cache
 * answered, the event-bus round trip, the database side's own time, and the total.
 */
final class RequestTiming {

  final long start = System.nanoTime();
  final AtomicReference<String> cache = new AtomicReference<>("hit");
  volatile double busMs = -1;
  volatile double dbMs = -1;

  String header() {
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

  private static String ms(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
