package org.tenantfeatures.diagnostics;

import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.EnumSet;
import org.tenantfeatures.config.AppConfig;

/**
 * Vert.x's own metrics (HTTP server by route and status, pool use and wait, event bus) in a
 * Prometheus registry, served at {@code /metrics}; the service adds its breaker, cache and
 * answer counters to the same registry.
 */
public final class MetricsSetup {

  private MetricsSetup() {
  }

  public static VertxOptions vertxOptions(AppConfig config) {
    VertxOptions options = new VertxOptions();
    if (config.http().metrics()) {
      options.setMetricsOptions(new MicrometerMetricsOptions()
          .setEnabled(true)
          .setJvmMetricsEnabled(true)
          .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(true))
          // Routes, not paths: a label per tenant or per mistyped URL would grow without bound.
          .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME,
              Label.EB_ADDRESS, Label.EB_FAILURE)));
    }
    return options;
  }
}
