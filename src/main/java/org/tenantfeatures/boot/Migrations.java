package org.tenantfeatures.boot;

import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the versioned schema in {@code db/migration} with Flyway. Flyway speaks JDBC, so this
 * is blocking: it runs once at start, before any verticle is deployed, never on an event loop.
 */
public final class Migrations {

  private Migrations() {
  }

  public static MigrateResult apply(PgConnectOptions target) {
    return Flyway.configure()
        .dataSource(jdbcUrl(target), target.getUser(), target.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  /**
   * The JDBC address of the target. Behind a transaction-pooling proxy ({@code db.useLayer7Proxy},
   * carried by the options) pgjdbc must not name its statements: it does after five uses on a
   * connection, and through PgBouncer that name then meets another server connection ("prepared
   * statement "S_2" already exists"). Flyway's reset before its close failed that way and Flyway
   * skipped the close, leaving two connections open until a garbage collection (PgBouncerIT).
   */
  public static String jdbcUrl(PgConnectOptions target) {
    String url = "jdbc:postgresql://" + target.getHost() + ":" + target.getPort() + "/" + target.getDatabase();
    return target.getUseLayer7Proxy() ? url + "?prepareThreshold=0" : url;
  }
}
