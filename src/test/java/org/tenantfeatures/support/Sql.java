package org.tenantfeatures.support;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.tenantfeatures.db.Migrations;

/**
 * Direct JDBC access for tests: seeding rows and reading the truth the service is checked
 * against, by a path that shares no code with the service's reactive one.
 */
public final class Sql {

  /** The incident analysis's own inspection query, verbatim but for the parameter. */
  public static final String INCIDENT_JOIN = """
      SELECT ff.name, tf.is_enabled
      FROM feature_flags ff
      LEFT OUTER JOIN tenant_features tf ON
        tf.feature_id = ff.id AND
        tf.tenant_id = ?""";

  private Sql() {
  }

  public static Connection connect(String uri) throws SQLException {
    PgConnectOptions o = PgConnectOptions.fromUri(uri);
    return DriverManager.getConnection(Migrations.jdbcUrl(o), o.getUser(), o.getPassword());
  }




  static String withDatabase(String uri, String database) {
    PgConnectOptions o = PgConnectOptions.fromUri(uri);
    String auth = o.getPassword() == null || o.getPassword().isEmpty() ? o.getUser() : o.getUser() + ":" + o.getPassword();
    return "postgresql://" + auth + "@" + o.getHost() + ":" + o.getPort() + "/" + database;
  }

  public static void execute(String uri, String sql) {
    try (Connection c = connect(uri); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tenant's map as the incident analysis's join gives it: a missing row means false. */
  public static JsonObject expectedMap(String uri, String tenantId) {
    try (Connection c = connect(uri); PreparedStatement s = c.prepareStatement(INCIDENT_JOIN)) {
      s.setObject(1, UUID.fromString(tenantId));
      JsonObject map = new JsonObject();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          map.put(rs.getString(1), rs.getBoolean(2));
        }
      }
      return map;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
