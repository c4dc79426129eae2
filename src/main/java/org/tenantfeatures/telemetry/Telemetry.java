package org.tenantfeatures.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Optional;

/**
 * The node's meters: the registry Vert.x's metrics made (none when {@code http.metrics} is off),
 * looked up once when the node deploys and handed to whoever counts, and the meters the HTTP side
 * keeps found. Nothing here is static: tests run several nodes in one JVM, each with its own.
 */
public final class Telemetry {

  private final MeterRegistry registry;
  private final AnswerMetrics answers;
  private final RequestMetrics requests;

  private Telemetry(MeterRegistry registry) {
    this.registry = registry;
    this.answers = new AnswerMetrics(registry);
    this.requests = new RequestMetrics(registry);
  }

  /** This node's: the default registry of the metrics set up by {@link MetricsSetup}, if any. */
  public static Telemetry ofNode() {
    return new Telemetry(BackendRegistries.getDefaultNow());
  }

  /** Counts nothing: for a server whose answers are not the clients' (the start-up warm-up). */
  public static Telemetry none() {
    return new Telemetry(null);
  }

  public Optional<MeterRegistry> registry() {
    return Optional.ofNullable(registry);
  }

  /**
   * The first handler of every routed request, one hop: its answer is timed and counted with this
   * node's meters.
   */
  public void begin(RoutingContext ctx) {
    answers.countOn(ctx);
    requests.begin(ctx);
    ctx.next();
  }

  public AnswerMetrics answers() {
    return answers;
  }

}
