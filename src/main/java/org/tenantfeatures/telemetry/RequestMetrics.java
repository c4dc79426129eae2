package org.tenantfeatures.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code vertx_http_server_requests_total} and {@code vertx_http_server_response_time_seconds}
 * by {@code method}, {@code route} and {@code code}, the names Vert.x's own HTTP server metrics
 * used, recorded here instead: Vert.x looked its meters up anew for every request (building tags,
 * hashing meter ids, registering an active-requests gauge), a large share of a cached answer's
 * CPU (docs/BENCHMARKS.md, "Figures behind the code"). Here each
 * combination's meters are found once and kept. Every label comes from a closed set: a method
 * HTTP defines (any other is {@code OTHER}), a route of the router ({@code ""} when none
 * matched), a status code; so the map is bounded however requests are made up.
 */
public final class RequestMetrics {

  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
      "CONNECT");

  private record Labels(String method, String route, int code) {
  }

  private record Meters(Counter requests, Timer responseTime) {
  }

  private final Map<Labels, Meters> meters = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Times the request's answer and counts it when it ends ({@link Telemetry#begin}); no-op without metrics. */
  void begin(RoutingContext ctx) {
    if (registry != null) {
      long start = System.nanoTime();
      ctx.addEndHandler(ended -> record(ctx, System.nanoTime() - start));
    }
  }

  private void record(RoutingContext ctx, long nanos) {
    String method = ctx.request().method().name();
    Route current = ctx.currentRoute();
    Labels labels = new Labels(METHODS.contains(method) ? method : "OTHER",
        current == null || current.getPath() == null ? "" : current.getPath(), ctx.response().getStatusCode());
    Meters found = meters.computeIfAbsent(labels, this::register);
    found.requests().increment();
    found.responseTime().record(nanos, TimeUnit.NANOSECONDS);
  }

  private Meters register(Labels labels) {
    String code = Integer.toString(labels.code());
    return new Meters(
        Counter.builder("vertx.http.server.requests").description("Requests answered")
            .tags("method", labels.method(), "route", labels.route(), "code", code).register(registry),
        Timer.builder("vertx.http.server.response.time").description("Time from a request's first byte to its answer's end")
            .tags("method", labels.method(), "route", labels.route(), "code", code).register(registry));
  }
}
