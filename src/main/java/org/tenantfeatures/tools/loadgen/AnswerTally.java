package org.tenantfeatures.tools.loadgen;

import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * Sorts every answer of a load run: right or wrong against the tenant's history (a 200, or a 200
 * marked stale within its {@code Age}), client or server error with or without a proper problem
 * body, timeout, I/O error; and its latency. Touched on one event loop only, so it needs no locks.
 */
final class AnswerTally {

  private final TenantHistory history;
  private final long maxStaleNanos;
  /** Whether bodies are OFREP bulk answers, whose flags array is the tenant's map. */
  private final boolean ofrep;

  private long done;
  private long ok;
  private long wrong;
  private long errors4xx;
  private long errors5xx;
  private long timeouts;
  private long ioErrors;
  private long otherStatus;
  private long stale;
  private long notModified;
  private long cacheHits;
  private long problemViolations;
  private long maxErrorMicros;
  private final Map<Integer, Long> byStatus = new HashMap<>();
  private final Map<String, Long> byProblem = new HashMap<>();
  private final List<String> wrongSamples = new ArrayList<>();
  private final Histogram latency = new Histogram(3_600_000_000L, 3);

  /** @param history the truth to verify 200 bodies against, or null not to verify */
  AnswerTally(TenantHistory history, long maxStaleMs, boolean ofrep) {
    this.history = history;
    this.maxStaleNanos = maxStaleMs * 1_000_000L;
    this.ofrep = ofrep;
  }

  /** One request's outcome: sent at {@code started}, for {@code tenant} (null if unknown), ended at {@code ended}. */
  void answered(AsyncResult<HttpResponse<Buffer>> result, String tenant, long started, long ended) {
    answered(result, tenant, started, ended, null);
  }

  /** What a later conditional request needs of this 200 answer. */
  AnswerBodies.Held held(HttpResponse<Buffer> answer) {
    return AnswerBodies.held(answer, ofrep);
  }

  /**
   * As above, for a conditional request: {@code revalidated} is the earlier 200 whose ETag it
   * sent (null: none sent). A 304 stands for that answer's map, which must still be right now.
   */
  void answered(AsyncResult<HttpResponse<Buffer>> result, String tenant, long started, long ended, AnswerBodies.Held revalidated) {
    long micros = Math.max(1, (ended - started) / 1000);
    latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
    done++;
    if (result.succeeded() && result.result().statusCode() == 304) {
      byStatus.merge(304, 1L, Long::sum);
      String key = tenant == null ? null : tenant.toLowerCase(Locale.ROOT);
      if (revalidated == null) {
        wrong("tenant " + tenant + ": 304 to a request without If-None-Match");
      } else if (history == null || (key != null && revalidated.map() != null && history.knows(key)
          && history.matches(key, revalidated.map(), started, ended, maxStaleNanos))) {
        notModified++;
      } else {
        wrong("tenant " + tenant + " (304 for " + revalidated.etag() + "): " + revalidated.body()
            + (key == null || revalidated.map() == null ? "" : " (" + history.explain(key, revalidated.map(), started, ended) + ")"));
      }
    } else if (result.succeeded()) {
      sort(result.result(), tenant, started, ended, micros);
    } else if (result.cause() instanceof TimeoutException) {
      timeouts++;
    } else {
      ioErrors++;
    }
  }

  LoadReport report(long writes, double seconds) {
    return new LoadReport(done, ok, wrong, stale, notModified, cacheHits, errors4xx, errors5xx, timeouts, ioErrors, otherStatus, problemViolations,
        Map.copyOf(byStatus), Map.copyOf(byProblem), writes, seconds, latency.copy(), maxErrorMicros, List.copyOf(wrongSamples));
  }

  private void sort(HttpResponse<Buffer> response, String tenant, long started, long ended, long micros) {
    int status = response.statusCode();
    byStatus.merge(status, 1L, Long::sum);
    if (status == 200 && response.getHeader("Warning") != null) {
      // Marked stale (stale-if-error): not fresh, but still a state the tenant really had, as old
      // as its Age says (whole seconds, so up to one more).
      long age = AnswerBodies.parseAge(response.getHeader("Age"));
      if (history == null || (age >= 0 && isRight(response, tenant, started - (age + 1) * 1_000_000_000L, ended))) {
        stale++;
      } else {
        wrong("tenant " + tenant + " (marked stale, Age " + age + "): " + response.bodyAsString() + explain(response, tenant, started, ended));
      }
      return;
    }
    if (status == 200) {
      String timing = response.getHeader("Server-Timing");
      if (timing != null && timing.startsWith("cache;desc=hit")) {
        cacheHits++;
      }
      if (history == null || isRight(response, tenant, started, ended)) {
        ok++;
      } else {
        wrong("tenant " + tenant + ": " + response.bodyAsString() + explain(response, tenant, started, ended));
      }
      return;
    }
    if (status >= 400 && status < 500) {
      errors4xx++;
    } else if (status >= 500) {
      errors5xx++;
    } else {
      otherStatus++;
      return;
    }
    maxErrorMicros = Math.max(maxErrorMicros, micros);
    if (ofrep) {
      sortOfrepError(response, status);
      return;
    }
    boolean problem = AnswerBodies.isProblem(response);
    boolean retryAfterMissing = (status == 503 || status == 504) && response.getHeader("Retry-After") == null;
    if (!problem || retryAfterMissing) {
      problemViolations++;
    }
    byProblem.merge(problem ? AnswerBodies.problemType(response) : "none", 1L, Long::sum);
  }

  /**
   * An OFREP error is explicit when its body is the protocol's ({@code errorCode}) or, for the
   * shared checks' 401/403/413/415, a problem; a 429 (the protocol's retryable answer) must say
   * when to retry. Counted by {@code ofrep:<errorCode>}.
   */
  private void sortOfrepError(HttpResponse<Buffer> response, int status) {
    String errorCode = AnswerBodies.ofrepErrorCode(response);
    boolean problem = AnswerBodies.isProblem(response);
    boolean retryAfterMissing = status == 429 && response.getHeader("Retry-After") == null;
    if ((errorCode == null && !problem) || retryAfterMissing) {
      problemViolations++;
    }
    byProblem.merge(errorCode != null ? "ofrep:" + errorCode : problem ? AnswerBodies.problemType(response) : "none", 1L, Long::sum);
  }

  /** Counts a wrong answer, and keeps the first few for the report. */
  private void wrong(String sample) {
    wrong++;
    if (wrongSamples.size() < 5) {
      wrongSamples.add(sample);
    }
  }

  /** What the wrong body equals, so that a failed run tells a stale answer from an invented one. */
  private String explain(HttpResponse<Buffer> response, String tenant, long started, long ended) {
    try {
      JsonObject body = AnswerBodies.map(response, ofrep);
      return tenant == null || body == null ? ""
          : " (" + history.explain(tenant.toLowerCase(Locale.ROOT), body, started, ended) + ")";
    } catch (RuntimeException notAnObject) {
      return " (not a JSON object)";
    }
  }

  private boolean isRight(HttpResponse<Buffer> response, String tenant, long started, long ended) {
    if (tenant == null || !history.knows(tenant.toLowerCase(Locale.ROOT))) {
      return false;
    }
    JsonObject body;
    try {
      body = AnswerBodies.map(response, ofrep);
    } catch (RuntimeException notAnObject) {
      return false;
    }
    return body != null && history.matches(tenant.toLowerCase(Locale.ROOT), body, started, ended, maxStaleNanos);
  }

  String progressLine(double seconds, long writes) {
    return String.format(Locale.ROOT, "[%5.1fs] requests=%d ok=%d wrong=%d errors_4xx=%d errors_5xx=%d timeouts=%d rps=%.0f writes=%d",
        seconds, done, ok, wrong, errors4xx, errors5xx, timeouts, done / Math.max(seconds, 1e-9), writes);
  }
}
