package org.tenantfeatures.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import org.tenantfeatures.telemetry.Telemetry;

/**
 * {@code tenant_features_breaker_state} (0 closed, 1 half-open, 2 open) and
 * {@code tenant_features_breaker_transitions_total{to}}. No-op without metrics.
 */
final class BreakerMetrics {

  private final MeterRegistry registry;

  BreakerMetrics(Telemetry telemetry) {
    this.registry = telemetry.registry().orElse(null);
  }

  void watch(CircuitBreaker breaker) {
    if (registry != null) {
      Gauge.builder("tenant_features_breaker_state", breaker, b -> switch (b.state()) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
          })
          .description("Database circuit breaker: 0 closed, 1 half-open, 2 open")
          .register(registry);
    }
  }

  void transition(String to) {
    if (registry != null) {
      Counter.builder("tenant_features_breaker_transitions").tag("to", to)
          .description("Database circuit breaker state changes").register(registry).increment();
    }
  }
}
