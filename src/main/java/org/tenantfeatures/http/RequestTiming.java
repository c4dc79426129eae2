package org.tenantfeatures.http;

import org.tenantfeatures.client.Call;

/**
 * Phases of one tenant read, for {@code Server-Timing} and the DEBUG log line: whether the cache
 * answered, the event-bus round trip, the database side's own time, and the total.
 */
public final class RequestTiming {

  /** Where the answer's map came from, as {@code Server-Timing}'s {@code cache;desc=} says it. */
  public enum CacheOutcome {
    /** This node's cache had it. */
    HIT("hit"),
    /** This request read it from the database (for itself and whoever asked at that moment). */
    MISS("miss"),
    /** The answer is not cached at all (roles). */
    NONE("none");

    private final String desc;

    CacheOutcome(String desc) {
      this.desc = desc;
    }
  }

  final long start = System.nanoTime();
  private volatile CacheOutcome cache = CacheOutcome.HIT;
  private volatile double busMs = -1;
  private volatile double dbMs = -1;

  public String header() {
    StringBuilder h = new StringBuilder("cache;desc=").append(cache.desc);
    if (busMs >= 0) {
      h.append(", bus;dur=").append(ms(busMs));
    }
    if (dbMs >= 0) {
      h.append(", db;dur=").append(ms(dbMs));
    }
    return h.append(", total;dur=").append(ms(totalMs())).toString();
  }

  /** The bus round trip of a call sent at {@code sentNanos}, just answered, and the database side's own time in it. */
  public void replied(long sentNanos, Call call) {
    busMs = (System.nanoTime() - sentNanos) / 1e6;
    dbMs = call.dbMs();
  }

  public CacheOutcome cache() {
    return cache;
  }

  public void cache(CacheOutcome outcome) {
    cache = outcome;
  }

  double totalMs() {
    return (System.nanoTime() - start) / 1e6;
  }

  /**
   * Two decimals, as {@code String.format("%.2f")} writes them, without its parser and
   * formatter: the header is built on every read, where the formatter showed in the cached path's
   * profile (docs/BENCHMARKS.md, "Figures behind the code").
   */
  static String ms(double value) {
    long hundredths = Math.round(Math.max(0, value) * 100);
    long fraction = hundredths % 100;
    return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
  }
}
