package org.tenantfeatures.telemetry;

import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.EnumSet;
import org.tenantfeatures.config.AppConfig;

/**
 * Vert.x's own metrics (pool use and wait, event bus, JVM) in a Prometheus registry, served at
 * {@code /metrics}; the service adds the HTTP server's requests by method, route and status
 * ({@code RequestMetrics}), its breaker, cache and answer counters to the same registry.
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
          // Histogram buckets for every timer and size (the response time per route, method and
          // code too) multiply the series and make up most of /metrics (the README's figure); off unless asked for.
          .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(config.http().metricsHistograms()))
          .setLabels(EnumSet.of(Label.POOL_TYPE, Label.POOL_NAME, Label.EB_ADDRESS, Label.EB_FAILURE))
          // The HTTP server's series are recorded by the router's first handler (RequestMetrics),
          // under the same names: Vert.x looked its meters up anew for every request.
          .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER));
    }
    return options;
  }
}
