package org.tenantfeatures.db;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.tenantfeatures.client.Deadline;
import org.tenantfeatures.config.AppConfig;

/**
 * Runs a read behind the circuit breaker, with retries on connection failures that all fit
 * inside the request's deadline: each attempt is cut at the time left, and a retry is only
 * started if its backoff leaves some of the budget for the attempt itself. The breaker wraps the
 * whole retried read, so it counts requests that failed, not attempts a retry recovered from: a
 * killed connection that the next attempt replaces does not bring the breaker nearer to opening.
 * Writes must not come through here: a failed write is not known not to have happened.
 */
public final class GuardedReads {

  /** Below this much time left, another attempt could not finish, so none is started. */
  private static final long MIN_ATTEMPT_MS = 20;

  private final Vertx vertx;
  private final CircuitBreaker breaker;
  private final AppConfig.Retry retry;
  private final RetryPolicy backoff;

  GuardedReads(Vertx vertx, CircuitBreaker breaker, AppConfig.Retry retry) {
    this.vertx = vertx;
    this.breaker = breaker;
    this.retry = retry;
    this.backoff = RetryPolicy.exponentialDelayWithJitter(retry.initialBackoffMs(), retry.maxBackoffMs());
  }

  public <T> Future<T> read(Deadline deadline, Supplier<Future<T>> query) {
    return breaker.execute(() -> attempt(deadline, query, 0));
  }

  private <T> Future<T> attempt(Deadline deadline, Supplier<Future<T>> query, int retriesDone) {
    long left = deadline.remainingMs();
    if (left < MIN_ATTEMPT_MS) {
      return Future.failedFuture(new DeadlineExceededException("request budget spent before the query started"));
    }
    return query.get().timeout(left, TimeUnit.MILLISECONDS).recover(failure -> {
      if (retriesDone >= retry.maxRetries() || !DbFailures.retryable(failure)) {
        return Future.failedFuture(failure);
      }
      // The jittered delay may be 0, which a Vert.x timer refuses.
      long delay = Math.max(1, backoff.delay(failure, retriesDone + 1));
      if (deadline.remainingMs() - delay < MIN_ATTEMPT_MS) {
        return Future.failedFuture(failure);
      }
      return vertx.timer(delay, TimeUnit.MILLISECONDS).compose(v -> attempt(deadline, query, retriesDone + 1));
    });
  }
}
