package org.tenantfeatures.tools.loadgen;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What a run saw. {@code ok} counts 200 answers that were right (or, without verification,
 * every 200); {@code wrong} counts 200 answers whose body was not a state the tenant had.
 * {@code stale} counts 200 answers marked stale ({@code Warning} header, stale-if-error).
 * {@code problemViolations} counts error answers that were not a proper problem: a 4xx/5xx
 * without an {@code application/problem+json} body, or a 503/504 without {@code Retry-After}.
 */
public record LoadReport(
    long requests,
    long ok,
    long wrong,
    long stale,
    /** 304 answers to a request with If-None-Match (--revalidate). */
    long notModified,
    /** 200 answers from the node's cache ({@code Server-Timing: cache;desc=hit}; the v3 read says so). */
    long cacheHits,
    long errors4xx,
    long errors5xx,
    long timeouts,
    long ioErrors,
    long otherStatus,
    long problemViolations,
    Map<Integer, Long> byStatus,
    /** Error answers by their problem type ({@code /problems/...}; {@code none} without a problem body). */
    Map<String, Long> byProblem,
    long writes,
    double seconds,
    Histogram latencyMicros,
    long maxErrorMicros,
    List<String> wrongSamples) {

  public double rps() {
    return seconds > 0 ? requests / seconds : 0;
  }

  private double ms(double percentile) {
    return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  public double maxMs() {
    return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMaxValue() / 1000.0;
  }

  public double maxErrorMs() {
    return maxErrorMicros / 1000.0;
  }

  /** The one line a script parses. */
  public String summaryLine() {
    return String.format(Locale.ROOT,
        "requests=%d ok=%d wrong=%d errors_4xx=%d errors_5xx=%d timeouts=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f "
            + "p999_ms=%.2f max_ms=%.2f io_errors=%d stale=%d writes=%d not_modified=%d cache_hits=%d",
        requests, ok, wrong, errors4xx, errors5xx, timeouts, rps(), ms(50), ms(99), ms(99.9), maxMs(), ioErrors, stale,
        writes, notModified, cacheHits);
  }

  public JsonObject toJson() {
    JsonObject statuses = new JsonObject();
    new TreeMap<>(byStatus).forEach((status, count) -> statuses.put(Integer.toString(status), count));
    return new JsonObject()
        .put("requests", requests).put("ok", ok).put("wrong", wrong).put("stale", stale).put("not_modified", notModified)
        .put("cache_hits", cacheHits)
        .put("errors_4xx", errors4xx).put("errors_5xx", errors5xx).put("timeouts", timeouts)
        .put("io_errors", ioErrors).put("other_status", otherStatus).put("problem_violations", problemViolations)
        .put("by_status", statuses).put("by_problem", new JsonObject(new TreeMap<String, Object>(byProblem)))
        .put("writes", writes)
        .put("seconds", seconds).put("rps", rps())
        .put("latency_ms", new JsonObject()
            .put("p50", ms(50)).put("p90", ms(90)).put("p99", ms(99)).put("p999", ms(99.9)).put("max", maxMs()))
        .put("max_error_ms", maxErrorMs())
        .put("wrong_samples", wrongSamples);
  }
}
