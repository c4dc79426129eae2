package org.tenantfeatures.db;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.telemetry.Telemetry;

/**
 * The circuit breaker in front of the database: it opens after {@code db.breaker.maxFailures}
 * failures that say something about the database's health ({@link DbFailures#countsAgainstDatabase}:
 * not a caller's mistake, not a saturated pool), answers at once while open, and lets one request
 * through after {@code db.breaker.resetTimeoutMs}. Its state and transitions are logged and counted.
 */
final class DatabaseBreaker {

  private static final Logger log = LoggerFactory.getLogger(DatabaseBreaker.class);

  private DatabaseBreaker() {
  }

  static CircuitBreaker create(Vertx vertx, AppConfig.Breaker config, Telemetry telemetry) {
    BreakerMetrics metrics = new BreakerMetrics(telemetry);
    CircuitBreaker breaker = CircuitBreaker.create("database", vertx, new CircuitBreakerOptions()
            .setMaxFailures(config.maxFailures())
            .setResetTimeout(config.resetTimeoutMs())
            // Each attempt is cut at the request's own deadline instead of one fixed timeout.
            .setTimeout(-1))
        .failurePolicy(result -> result.failed() && DbFailures.countsAgainstDatabase(result.cause()))
        .openHandler(v -> {
          log.warn("Database circuit OPEN: answering at once for {} ms", config.resetTimeoutMs());
          metrics.transition("open");
        })
        .halfOpenHandler(v -> {
          log.info("Database circuit HALF-OPEN: letting one request through");
          metrics.transition("half_open");
        })
        .closeHandler(v -> {
          log.info("Database circuit CLOSED");
          metrics.transition("closed");
        });
    metrics.watch(breaker);
    return breaker;
  }
}
