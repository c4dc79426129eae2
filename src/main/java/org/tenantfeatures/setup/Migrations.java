package org.tenantfeatures.setup;

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

  public static String jdbcUrl(PgConnectOptions target) {
    return "jdbc:postgresql://" + target.getHost() + ":" + target.getPort() + "/" + target.getDatabase();
  }
}
