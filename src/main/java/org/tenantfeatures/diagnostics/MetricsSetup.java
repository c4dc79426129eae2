package org.tenantfeatures.diagnostics;

import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.micrometer.core.instrument.Tag;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.tenantfeatures.config.AppConfig;

/**
 * Vert.x's own metrics (HTTP server by route and status, pool use and wait, event bus) in a
 * Prometheus registry, served at {@code /metrics}; the service adds its breaker, cache and
 * answer counters to the same registry.
 */
public final class MetricsSetup {

  private MetricsSetup() {
  }

  /**
   * The method label of each method HTTP defines, made once (it is on every request); any other
   * a client makes up is counted as {@code OTHER}.
   */
  private static final Map<String, List<Tag>> METHOD_TAGS = Stream.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH",
          "OPTIONS", "TRACE", "CONNECT")
      .collect(Collectors.toUnmodifiableMap(m -> m, m -> List.of(Tag.of(Label.HTTP_METHOD.toString(), m))));
  private static final List<Tag> OTHER_METHOD = List.of(Tag.of(Label.HTTP_METHOD.toString(), "OTHER"));

  public static VertxOptions vertxOptions(AppConfig config) {
    VertxOptions options = new VertxOptions();
    if (config.http().metrics()) {
      options.setMetricsOptions(new MicrometerMetricsOptions()
          .setEnabled(true)
          .setJvmMetricsEnabled(true)
          // Histogram buckets for every timer and size, per route, method and code: about 70 series
          // each, most of /metrics (measured in the README); off unless asked for.
          .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(config.http().metricsHistograms()))
          // Routes, not paths: a label per tenant or per mistyped URL would grow without bound.
          .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME,
              Label.EB_ADDRESS, Label.EB_FAILURE))
          // Not Label.HTTP_METHOD: Vert.x labels a request with its method as sent, so each
          // made-up method was a new series of every HTTP meter (20 requests added 12,640).
          .setServerRequestTagsProvider(request -> METHOD_TAGS.getOrDefault(request.method().name(), OTHER_METHOD)));
    }
    return options;
  }
}
