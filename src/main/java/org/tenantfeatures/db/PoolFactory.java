package org.tenantfeatures.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
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

  public static PoolOptions poolOptions(AppConfig.Db db) {
    AppConfig.Pool p = db.pool();
    return new PoolOptions()
        .setName(db.applicationName() + "-pool")
        .setMaxSize(p.maxSize())
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

  public static Pool create(Vertx vertx, AppConfig.Db db) {
    return PgBuilder.pool()
        .with(poolOptions(db))
        .connectingTo(connectOptions(db))
        .using(vertx)
        .build();
  }
}
