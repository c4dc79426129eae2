package org.tenantfeatures.boot;

import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Loads the idempotent demo data set of the dev configuration ({@code demo.load=true}). */
public final class DemoData {

  public static final String INCIDENT_TENANT = "550e8400-e29b-41d4-a716-446655440000";
  private static final String SCRIPT = "/demo/demo-data.sql";

  private DemoData() {
  }

  /** Blocking, like the migrations it follows; run once at start. */
  public static void load(PgConnectOptions target) throws SQLException, IOException {
    String sql;
    try (InputStream in = DemoData.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IOException("missing resource " + SCRIPT);
      }
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = DriverManager.getConnection(Migrations.jdbcUrl(target), target.getUser(), target.getPassword());
         Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
