package org.tenantfeatures.tools;

import io.vertx.pgclient.PgConnectOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.tenantfeatures.boot.EmbeddedDatabase;
import org.tenantfeatures.boot.Migrations;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.config.ConfigLoader;

/**
 * The command-line tools read the service's own configuration (the same files, {@code TF_*}
 * variables and {@code tf.*} properties), so they look at the database the service uses.
 */
final class ToolConfig {

  private ToolConfig() {
  }

  static AppConfig load() {
    return ConfigLoader.loadBlocking();
  }

  /** {@code db.uri}, or where the embedded server listens when none is configured. */
  static String databaseUri(AppConfig config) {
    if (config.db().configured()) {
      return config.db().uri();
    }
    if (config.embedded().port() == 0) {
      throw new IllegalStateException("no db.uri, and embedded.port is 0 (chosen at start): set TF_DB_URI or TF_EMBEDDED_PORT");
    }
    return EmbeddedDatabase.uriFor(config.embedded().port());
  }

  static Connection connect(AppConfig config) throws SQLException {
    PgConnectOptions target = PgConnectOptions.fromUri(databaseUri(config)).setUseLayer7Proxy(config.db().useLayer7Proxy());
    return DriverManager.getConnection(Migrations.jdbcUrl(target), target.getUser(), target.getPassword());
  }
}
