package org.tenantfeatures.http.ops;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.boot.Lifecycle;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.Deadline;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.http.Endpoints;
import org.tenantfeatures.http.JsonBodies;

/**
 * Endpoints for operators and load balancers: liveness, readiness, and the admin-only
 * diagnostics (database view, SQL trace switch). The diagnostics ask the database verticle over
 * the bus, like every other route. Diagnostics show the internals of every tenant, and the SQL
 * trace logs every tenant's statements: {@link Routes} puts them behind {@code admin} on a token
 * scoped to all tenants.
 */
public final class OpsApi {

  private static final Logger log = LoggerFactory.getLogger(OpsApi.class);

  private final Vertx vertx;
  private final AppConfig config;
  private final Lifecycle lifecycle;
  private final Endpoints endpoints;

  public OpsApi(Vertx vertx, AppConfig config, Lifecycle lifecycle, Endpoints endpoints) {
    this.vertx = vertx;
    this.config = config;
    this.lifecycle = lifecycle;
    this.endpoints = endpoints;
  }

  /**
   * Live: this event loop runs handlers. Nothing else: a database outage must not get the node
   * restarted, only taken out of the balancer (readiness).
   */
  public HealthCheckHandler liveness() {
    return HealthCheckHandler.create(vertx).register("event-loop", p -> p.complete(Status.OK()));
  }

  public HealthCheckHandler readiness() {
    return HealthCheckHandler.create(vertx)
        .register("schema", p -> p.complete(lifecycle.isMigrated() ? Status.OK() : Status.KO()))
        .register("not-draining", p -> p.complete(lifecycle.isDraining() ? Status.KO() : Status.OK()))
        .register("database", config.http().readyTimeoutMs() + 100L, p -> endpoints.database().ping(
                new Call("ready", Deadline.in(config.http().readyTimeoutMs())))
            // Anyone may ask: the answer names the failed check and nothing else (no host, port or
            // error text); the details are in the log and in the admin diagnostics.
            .onSuccess(reply -> p.complete("OPEN".equals(reply.getString(Fields.BREAKER)) ? Status.KO() : Status.OK()))
            .onFailure(failure -> {
              log.warn("Readiness: the database check failed: {}", failure.getMessage());
              p.complete(Status.KO());
            }));
  }

  public void databaseDiagnostics(RoutingContext ctx) {
    endpoints.database().dbDiagnostics(endpoints.call(ctx))
        .onSuccess(reply -> Endpoints.sendJson(ctx, 200, Buffer.buffer(reply.encodePrettily())))
        .onFailure(failure -> endpoints.fail(ctx, failure));
  }

  public void switchSqlTrace(RoutingContext ctx) {
    JsonBodies.enabled(ctx).ifPresent(enabled ->
        endpoints.answer(ctx, 200, endpoints.database().setSqlTrace(enabled, endpoints.call(ctx))));
  }
}
