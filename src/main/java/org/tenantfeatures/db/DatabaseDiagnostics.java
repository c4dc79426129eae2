package org.tenantfeatures.db;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.TimeUnit;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.Diagnostics;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.db.pool.PoolFactory;
import org.tenantfeatures.db.pool.PoolMetrics;
import org.tenantfeatures.telemetry.Telemetry;

/**
 * What the database verticle tells about itself: a readiness ping, and the report behind
 * {@code /diagnostics/db}. Both ask the database outside the breaker: a probe must not open it,
 * and diagnostics matter most when it is open. Both ask on the write pool, whose connections are
 * lent whole: on the pipelined read client a probe would queue behind whatever read is slow on
 * its connection, and a node busy with reads is not a node that cannot reach its database.
 */
record DatabaseDiagnostics(AppConfig.Db db, SqlClient readClient, Pool writePool, CircuitBreaker breaker, SqlTrace trace,
    EventBus bus, Telemetry telemetry) implements Diagnostics {

  /** {@code {breaker}} once the database answered a trivial query within the budget. */
  @Override
  public Future<JsonObject> ping(Call call) {
    return writePool.query("SELECT 1").execute()
        .timeout(Math.max(1, call.deadline().remainingMs()), TimeUnit.MILLISECONDS)
        .map(rows -> new JsonObject().put(Fields.BREAKER, breaker.state().name()));
  }

  /**
   * Always succeeds: where the database cannot be asked, its part says why. The pool's figures
   * are read after the database's view, so that they count the connection the view was asked on
   * (the view itself leaves it out).
   */
  @Override
  public Future<JsonObject> dbDiagnostics(Call call) {
    return databaseView().timeout(Math.max(1, call.deadline().remainingMs()), TimeUnit.MILLISECONDS).transform(view -> Future.succeededFuture(
        new JsonObject()
            .put("applicationName", db.applicationName())
            .put("pool", poolReport())
            .put("writes", new JsonObject()
                .put("open", writePool.size())
                .put("live", PoolMetrics.live(PoolFactory.writeOptions(db).getName(), telemetry)))
            .put(Fields.BREAKER, new JsonObject()
                .put("state", breaker.state().name())
                .put("failureCount", breaker.failureCount())
                .put("maxFailures", db.breaker().maxFailures())
                .put("resetTimeoutMs", db.breaker().resetTimeoutMs()))
            .put("sqlTrace", trace.enabled())
            .put("database", view.succeeded() ? view.result()
                : new JsonObject().put("error", DbFailures.classify(view.cause()).name()))));
  }

  /** Every node's trace follows ({@link SqlTrace#switchEverywhere}); the answer is this node's state. */
  @Override
  public Future<JsonObject> setSqlTrace(boolean enabled, Call call) {
    trace.switchEverywhere(bus, enabled);
    return Future.succeededFuture(new JsonObject().put(Fields.ENABLED, trace.enabled()));
  }

  private JsonObject poolReport() {
    return new JsonObject()
        .put("configured", new JsonObject()
            .put("maxSize", db.pool().maxSize())
            .put("writeMaxSize", db.pool().writeMaxSize())
            .put("maxWaitQueueSize", db.pool().maxWaitQueueSize())
            .put("connectionTimeoutMs", db.pool().connectionTimeoutMs())
            .put("idleTimeoutMs", db.pool().idleTimeoutMs())
            .put("maxLifetimeMs", db.pool().maxLifetimeMs())
            .put("pipeliningLimit", db.pipeliningLimit())
            .put("cachePreparedStatements", PoolFactory.connectOptions(db).getCachePreparedStatements())
            .put("useLayer7Proxy", db.useLayer7Proxy()))
        // The pipelined client is a pool underneath (Vert.x 5's PgBuilder.client()), typed as a plain client.
        .put("open", readClient instanceof Pool readPool ? readPool.size() : null)
        .put("live", PoolMetrics.live(PoolFactory.poolOptions(db).getName(), telemetry));
  }

  /** The database's own view of this node's connections, and its version. */
  private Future<JsonObject> databaseView() {
    return writePool.preparedQuery(DiagnosticQueries.CONNECTIONS_BY_STATE).execute(Tuple.of(db.applicationName()))
        .compose(byState -> writePool.query(DiagnosticQueries.SERVER_VERSION).execute().map(version -> {
          JsonObject states = new JsonObject();
          byState.forEach(row -> states.put(row.getString("state"), row.getLong("connections")));
          return new JsonObject()
              .put("serverVersion", version.iterator().next().getString(0))
              .put("connectionsByState", states);
        }));
  }
}
