package org.tenantfeatures.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tenantfeatures.http.Routes;
import org.tenantfeatures.http.problem.Problem;

/**
 * {@code tenant_features_answers_total{endpoint, outcome}}: how requests ended, by outcome
 * ({@code ok}, {@code stale}, or the problem type's name), which status codes alone cannot tell
 * apart (a 503 is a down database, an open breaker or an exhausted pool). No-op without metrics.
 */
public final class AnswerMetrics {

  /**
   * Each counter once found: registering it anew for every answer (a builder, a tag list, a
   * registry lookup) showed in the cached path's profile. Endpoint and outcome are closed sets,
   * so this map is bounded.
   */
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  /** Where a routed request finds the node's counters, put there by the router's first handler ({@link #countOn}). */
  private static final String COUNTED_BY = "tf.answers";

  AnswerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * The routed request's answer is counted here ({@link Telemetry#begin}). A router without
   * metrics ({@code http.metrics=false}, or the start-up warm-up's) counts with a node's
   * {@link Telemetry#none()}: its answers are left out of the series, which count what clients were told.
   */
  void countOn(RoutingContext ctx) {
    ctx.put(COUNTED_BY, this);
  }

  /** Counts a routed request's answer with its router's counters. */
  public static void count(RoutingContext ctx, String path, String outcome) {
    AnswerMetrics answers = ctx.get(COUNTED_BY);
    if (answers != null) {
      answers.count(path, outcome);
    }
  }

  /** Counts an answer; for requests no router saw (unreadable ones). */
  public void count(String path, String outcome) {
    if (registry != null) {
      String endpoint = endpoint(path);
      counters.computeIfAbsent(List.of(endpoint, outcome), key -> Counter.builder("tenant_features_answers")
          .description("Answers by endpoint and outcome")
          .tag("endpoint", endpoint)
          .tag("outcome", outcome)
          .register(registry)).increment();
    }
  }

  /** A fixed set of label values: a label per requested path would grow without bound. */
  private static String endpoint(String path) {
    if (Routes.FEATURES.equals(path)) {
      return "features";
    }
    if (Routes.ROLES.equals(path)) {
      return "roles";
    }
    if (path != null && path.startsWith(Routes.FEATURES + "/")) {
      return "overrides";
    }
    return path != null && (path.startsWith("/diagnostics/") || path.startsWith("/health/")) ? "ops" : "other";
  }

  public static String outcome(Problem problem) {
    return problem.type().substring(problem.type().lastIndexOf('/') + 1);
  }
}
