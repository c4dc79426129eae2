package org.tenantfeatures.boot;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.client.ChangeListenerState;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.db.DatabaseVerticle;
import org.tenantfeatures.db.pool.PoolFactory;
import org.tenantfeatures.events.CacheInvalidationVerticle;
import org.tenantfeatures.events.ChangeListenerVerticle;
import org.tenantfeatures.events.ChangeLogVerticle;
import org.tenantfeatures.http.HttpVerticle;
import org.tenantfeatures.http.edge.ConnectionGuard;
import org.tenantfeatures.http.ofrep.NodeStreams;
import org.tenantfeatures.telemetry.Telemetry;

/**
 * Brings the service up on a Vert.x instance against a configured database, in order: schema,
 * demo data (dev only), database verticle, HTTP verticles; and takes it down in the reverse
 * order without cutting a request: drain, close the listener once in-flight requests are done,
 * then the pool. The HTTP side is deployed last and undeployed first, so that it never answers
 * while nothing can serve it.
 */
public final class Deployment {

  private static final Logger log = LoggerFactory.getLogger(Deployment.class);

  private final Vertx vertx;
  private final AppConfig config;
  private final Lifecycle lifecycle;
  private final String databaseDeployment;
  private final String httpDeployment;

  private Deployment(Vertx vertx, AppConfig config, Lifecycle lifecycle, String databaseDeployment, String httpDeployment) {
    this.vertx = vertx;
    this.config = config;
    this.lifecycle = lifecycle;
    this.databaseDeployment = databaseDeployment;
    this.httpDeployment = httpDeployment;
  }

  public static Future<Deployment> deploy(Vertx vertx, AppConfig config) {
    Telemetry telemetry = Telemetry.ofNode();
    TenantMapCache cache = TenantMapCache.create(config.cache(), telemetry);
    if (!config.cluster().database()) {
      return deployHttpOnly(vertx, config, cache, telemetry);
    }
    if (!config.db().configured()) {
      return Future.failedFuture(new IllegalStateException("db.uri is empty: start an embedded database first"));
    }
    PgConnectOptions target = PoolFactory.connectOptions(config.db());
    Lifecycle lifecycle = new Lifecycle();
    ChangeListenerVerticle listener = config.db().listenForChanges() ? new ChangeListenerVerticle(config.db()) : null;
    return vertx.executeBlocking(() -> {
          var result = Migrations.apply(target);
          log.info("Schema at version {} ({} migrations applied now)", result.targetSchemaVersion, result.migrationsExecuted);
          if (config.loadDemoData()) {
            DemoData.load(target);
            log.info("Demo data loaded (demo.load=true)");
          }
          lifecycle.migrated();
          return null;
        })
        .compose(v -> vertx.deployVerticle(new DatabaseVerticle(config.db(), config.http().requestTimeoutMs(), telemetry)))
        .compose(db -> (listener != null ? vertx.deployVerticle(listener) : Future.succeededFuture(""))
            .map(db))
        .compose(db -> deployHttpSide(vertx, config, cache, telemetry, lifecycle, listener == null ? null : listener.state())
            .map(http -> new Deployment(vertx, config, lifecycle, db, http)));
  }

  /**
   * A node without a database verticle (cluster.database=false): it answers through the
   * database verticles of other nodes, over the clustered event bus. The schema is theirs.
   */
  private static Future<Deployment> deployHttpOnly(Vertx vertx, AppConfig config, TenantMapCache cache, Telemetry telemetry) {
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.migrated();
    return deployHttpSide(vertx, config, cache, telemetry, lifecycle, null)
        .map(http -> new Deployment(vertx, config, lifecycle, null, http));
  }

  /**
   * The node's cache invalidation (told of the node's own listener, if it has one, which listens
   * already; else it trusts the cache from a listener's next heartbeat, within a second), change
   * log, the warm-up ({@code http.warmUpMs}), then its HTTP verticles; answers the HTTP deployment's id. The order places verticles on
   * event loops: the database verticle and its listener on loops of their own.
   */
  private static Future<String> deployHttpSide(Vertx vertx, AppConfig config, TenantMapCache cache, Telemetry telemetry,
      Lifecycle lifecycle, ChangeListenerState ownListener) {
    ConnectionGuard connections = new ConnectionGuard(config.http().limits(), telemetry);
    NodeStreams streams = NodeStreams.of(config.http().streams(), lifecycle, telemetry);
    return vertx.deployVerticle(new CacheInvalidationVerticle(cache, ownListener))
        .compose(v -> vertx.deployVerticle(new ChangeLogVerticle()))
        .compose(v -> WarmUp.run(vertx, config))
        .compose(v -> vertx.deployVerticle(() -> new HttpVerticle(config, cache, lifecycle, connections, streams, telemetry),
            new DeploymentOptions().setInstances(config.http().instances()).setThreadingModel(ThreadingModel.EVENT_LOOP)));
  }

  public Lifecycle lifecycle() {
    return lifecycle;
  }

  /**
   * The graceful stop (SIGTERM runs it): report not-ready at once and keep serving for
   * {@code http.drainMs} while the load balancer takes the node out; then stop accepting, wait up
   * to {@code http.shutdownTimeoutMs} for requests in flight, and close the pool last.
   */
  public Future<Void> shutdown() {
    lifecycle.drain();
    log.info("Draining: not ready, still serving for {} ms", config.http().drainMs());
    Future<?> drained = config.http().drainMs() > 0
        ? vertx.timer(config.http().drainMs(), TimeUnit.MILLISECONDS) : Future.succeededFuture();
    return drained
        .compose(v -> {
          log.info("Closing the HTTP listener; waiting up to {} ms for requests in flight", config.http().shutdownTimeoutMs());
          return vertx.undeploy(httpDeployment);
        })
        .compose(v -> databaseDeployment == null ? Future.succeededFuture() : vertx.undeploy(databaseDeployment))
        .onComplete(done -> log.info("Stopped: {}", done.succeeded() ? "cleanly" : done.cause().getMessage()));
  }
}
