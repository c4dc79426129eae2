package org.tenantfeatures.http.ofrep;

import io.micrometer.core.instrument.Counter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.tenantfeatures.boot.Lifecycle;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.telemetry.Telemetry;

/**
 * What the change streams of a node's HTTP verticles share: their settings, the node's lifecycle
 * (a draining node ends them), the open streams per token over every verticle (the cap is the
 * node's, not a verticle's), and the count of streams closed because their client did not read
 * ({@code tenant_features_streams_closed_total{reason="slow"}}; no-op without metrics).
 */
public record NodeStreams(AppConfig.Streams settings, Lifecycle lifecycle, Map<String, AtomicInteger> openPerToken,
    Runnable closedSlow) {

  public static NodeStreams of(AppConfig.Streams settings, Lifecycle lifecycle, Telemetry telemetry) {
    // Registered at once: the series is there, at 0, before any stream is closed.
    Runnable closedSlow = telemetry.registry().<Runnable>map(registry -> Counter.builder("tenant_features_streams_closed")
        .description("Change streams the server closed, by reason (slow: the client did not read what was sent)")
        .tag("reason", "slow")
        .register(registry)::increment).orElse(() -> { });
    return new NodeStreams(settings, lifecycle, new ConcurrentHashMap<>(), closedSlow);
  }
}
