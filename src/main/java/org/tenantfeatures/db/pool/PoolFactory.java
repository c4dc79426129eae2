package org.tenantfeatures.db.pool;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.ClientBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import java.util.concurrent.TimeUnit;
import org.tenantfeatures.config.AppConfig;

/** Builds the reactive pool from configuration: every tuning knob comes from {@code db.*}. */
public final class PoolFactory {

  private PoolFactory() {
  }

  public static PgConnectOptions connectOptions(AppConfig.Db db) {
    PgConnectOptions options = PgConnectOptions.fromUri(db.uri())
        // Behind a transaction-pooling proxy the switch alone is not enough: a cached statement is
        // named and prepared once per client connection, so its Bind may reach another server
        // connection ("prepared statement does not exist"; PgBouncerIT shows it). The switch
        // therefore turns the cache off; only unnamed statements, re-parsed each time, are safe.
        .setCachePreparedStatements(db.cachePreparedStatements() && !db.useLayer7Proxy())
        .setPipeliningLimit(db.pipeliningLimit())
        .setUseLayer7Proxy(db.useLayer7Proxy());
    // A distinctive name makes this service's connections findable in pg_stat_activity, and the
    // server-side statement timeout stops work whose answer nobody waits for any more.
    options.addProperty("application_name", db.applicationName());
    options.addProperty("statement_timeout", Integer.toString(db.statementTimeoutMs()));
    return options;
  }

  /** The reads' connections: {@code db.pool.*}, named {@code <applicationName>-pool} in metrics. */
  public static PoolOptions poolOptions(AppConfig.Db db) {
    return options(db, db.applicationName() + "-pool", db.pool().maxSize());
  }

  /** The write transactions' connections: {@code db.pool.writeMaxSize} of them, named {@code <applicationName>-writes}. */
  public static PoolOptions writeOptions(AppConfig.Db db) {
    return options(db, db.applicationName() + "-writes", db.pool().writeMaxSize());
  }

  private static PoolOptions options(AppConfig.Db db, String name, int maxSize) {
    AppConfig.Pool p = db.pool();
    return new PoolOptions()
        .setName(name)
        .setMaxSize(maxSize)
        .setMaxWaitQueueSize(p.maxWaitQueueSize())
        .setConnectionTimeout(p.connectionTimeoutMs())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setIdleTimeout(p.idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxLifetime(p.maxLifetimeMs())
        .setMaxLifetimeUnit(TimeUnit.MILLISECONDS)
        // Each connection decodes its rows on its own event loop: reads spread over cores instead
        // of queueing on the database verticle's one loop.
        .setEventLoopSize(p.eventLoops());
  }

  /**
   * The reads' client: pooled connections that each pipeline up to {@code db.pipeliningLimit}
   * statements, written together and answered in order. Against one statement per connection
   * and round trip, PostgreSQL spent about a fifth less CPU per tenant map (fewer wake-ups and
   * socket calls) and the node answered more uncached reads (docs/BENCHMARKS.md, "pipelined reads").
   * A pipelined client lends no connection, so transactions go through {@link #createWritePool}.
   */
  public static SqlClient createReadClient(Vertx vertx, AppConfig.Db db) {
    return build(PgBuilder.client(), poolOptions(db), vertx, db);
  }

  /** Connections lent whole, one statement or transaction at a time: writes and the node's own checks. */
  public static Pool createWritePool(Vertx vertx, AppConfig.Db db) {
    return build(PgBuilder.pool(), writeOptions(db), vertx, db);
  }

  private static <C> C build(ClientBuilder<C> builder, PoolOptions options, Vertx vertx, AppConfig.Db db) {
    return builder.with(options).connectingTo(connectOptions(db)).using(vertx).build();
  }
}
