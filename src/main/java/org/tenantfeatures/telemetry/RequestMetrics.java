package org.tenantfeatures.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code vertx_http_server_requests_total} and {@code vertx_http_server_response_time_seconds}
 * by {@code method}, {@code route} and {@code code}, the names Vert.x's own HTTP server metrics
 * used, recorded here instead: Vert.x looked its meters up anew for every request (building tags,
 * hashing meter ids, registering an active-requests gauge), a third of a cached answer's CPU
 * (27 µs with them, 18 µs with HTTP metrics off, {@code scripts/capacity.sh}). Here each
 * combination's meters are found once and kept. Every label comes from a closed set: a method
 * HTTP defines (any other is {@code OTHER}), a route of the router ({@code ""} when none
 * matched), a status code; so the map is bounded however requests are made up.
 */
public final class RequestMetrics {

  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
      "CONNECT");

  private record Labels(MeterRegistry registry, String method, String route, int code) {
  }

  private record Meters(Counter requests, Timer responseTime) {
  }

  /** Keyed by registry too, as tests start several. */
  private static final Map<Labels, Meters> METERS = new ConcurrentHashMap<>();

  private RequestMetrics() {
  }

  /** The first handler of every request: its answer is counted and timed when it ends. No-op without metrics. */
  public static void begin(RoutingContext ctx) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      long start = System.nanoTime();
      ctx.addEndHandler(ended -> record(registry, ctx, System.nanoTime() - start));
    }
    ctx.next();
  }

  private static void record(MeterRegistry registry, RoutingContext ctx, long nanos) {
    String method = ctx.request().method().name();
    Route current = ctx.currentRoute();
    Labels labels = new Labels(registry, METHODS.contains(method) ? method : "OTHER",
        current == null || current.getPath() == null ? "" : current.getPath(), ctx.response().getStatusCode());
    Meters meters = METERS.computeIfAbsent(labels, RequestMetrics::register);
    meters.requests().increment();
    meters.responseTime().record(nanos, TimeUnit.NANOSECONDS);
  }

  private static Meters register(Labels labels) {
    String code = Integer.toString(labels.code());
    return new Meters(
        Counter.builder("vertx.http.server.requests").description("Requests answered")
            .tags("method", labels.method(), "route", labels.route(), "code", code).register(labels.registry()),
        Timer.builder("vertx.http.server.response.time").description("Time from a request's first byte to its answer's end")
            .tags("method", labels.method(), "route", labels.route(), "code", code).register(labels.registry()));
  }
}
