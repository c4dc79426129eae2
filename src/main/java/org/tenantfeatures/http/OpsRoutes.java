package org.tenantfeatures.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.Lifecycle;
import org.tenantfeatures.client.DatabaseClient;
import org.tenantfeatures.client.Deadline;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.config.AppConfig;

/**
 * Routes for operators and load balancers: liveness, readiness, Prometheus metrics, and the
 * admin-only diagnostics (database view, SQL trace switch). The diagnostics ask the database
 * verticle over the bus, like every other route.
 */
final class OpsRoutes {

  private static final Logger log = LoggerFactory.getLogger(OpsRoutes.class);

  static final String LIVE = "/health/live";
  static final String READY = "/health/ready";
  static final String METRICS = "/metrics";
  static final String DB_DIAGNOSTICS = "/diagnostics/db";
  static final String SQL_TRACE = "/diagnostics/sql-trace";

  private final Vertx vertx;
  private final AppConfig config;
  private final Lifecycle lifecycle;
  private final TokenAuthenticator authenticator;
  private final DatabaseClient database;
  private final long circuitRetryAfterSeconds;

  OpsRoutes(Vertx vertx, AppConfig config, Lifecycle lifecycle, long circuitRetryAfterSeconds) {
    this.vertx = vertx;
    this.config = config;
    this.lifecycle = lifecycle;
    this.authenticator = new TokenAuthenticator(config.tokens());
    this.database = new DatabaseClient(vertx);
    this.circuitRetryAfterSeconds = circuitRetryAfterSeconds;
  }

  void mount(Router router) {
    // Live: this event loop runs handlers. Nothing else: a database outage must not get the
    // node restarted, only taken out of the balancer (readiness).
    router.get(LIVE).handler(HealthCheckHandler.create(vertx).register("event-loop", p -> p.complete(Status.OK())));
    router.get(READY).handler(HealthCheckHandler.create(vertx)
        .register("schema", p -> p.complete(lifecycle.isMigrated() ? Status.OK() : Status.KO()))
        .register("not-draining", p -> p.complete(lifecycle.isDraining() ? Status.KO() : Status.OK()))
        .register("database", config.http().readyTimeoutMs() + 100L, p -> database.ping(
                config.cluster().database(), Deadline.in(config.http().readyTimeoutMs()), "ready")
            // Anyone may ask: the answer names the failed check and nothing else (no host, port or
            // error text); the details are in the log and in the admin diagnostics.
            .onSuccess(reply -> p.complete("OPEN".equals(reply.getString(Fields.BREAKER)) ? Status.KO() : Status.OK()))
            .onFailure(failure -> {
              log.warn("Readiness: the database check failed: {}", failure.getMessage());
              p.complete(Status.KO());
            })));
    if (config.http().metrics()) {
      router.get(METRICS).handler(PrometheusScrapingHandler.create());
    }
    router.get(DB_DIAGNOSTICS).handler(this::admin).handler(ctx ->
        database.databaseDiagnostics(Deadline.in(config.http().requestTimeoutMs()), RequestIds.of(ctx))
            .onSuccess(reply -> ctx.response().putHeader("Content-Type", TenantApi.JSON).putHeader("Cache-Control", "no-store")
                .end(reply.encodePrettily()))
            .onFailure(failure -> fail(ctx, failure)));
    // Checks first, on a route of their own (see HttpVerticle): no body is read for a refused caller.
    router.put(SQL_TRACE).handler(this::admin).handler(JsonBodies::requireJson);
    router.put(SQL_TRACE).handler(JsonBodies.reader(1024)).handler(this::switchSqlTrace);
  }

  private void switchSqlTrace(RoutingContext ctx) {
    Optional<Boolean> enabled = Optional.empty();
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body != null && body.getValue(Fields.ENABLED) instanceof Boolean on) {
        enabled = Optional.of(on);
      }
    } catch (RuntimeException notJson) {
      // answered below
    }
    if (enabled.isEmpty()) {
      ProblemResponses.send(ctx, Problem.BAD_BODY, "Send {\"enabled\": true} or {\"enabled\": false}.");
      return;
    }
    database.setSqlTrace(enabled.get(), Deadline.in(config.http().requestTimeoutMs()), RequestIds.of(ctx))
        .onSuccess(reply -> ctx.response().putHeader("Content-Type", TenantApi.JSON).end(reply.toBuffer()))
        .onFailure(failure -> fail(ctx, failure));
  }

  /**
   * Diagnostics show the internals of every tenant, and the SQL trace logs every tenant's
   * statements: only an {@code admin} token scoped to all tenants reaches them.
   */
  private void admin(RoutingContext ctx) {
    authenticator.authorizeAllTenants(ctx, "admin", Problem.ADMIN_REQUIRED).ifPresent(grant -> ctx.next());
  }

  private void fail(RoutingContext ctx, Throwable failure) {
    BusFailures.send(ctx, failure, circuitRetryAfterSeconds);
  }
}
