package org.tenantfeatures.support;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.tenantfeatures.boot.Migrations;
import org.tenantfeatures.tools.loadgen.DataSet;

/**
 * Direct JDBC access for tests: seeding rows and reading the truth the service is checked
 * against, by a path that shares no code with the service's reactive one.
 */
public final class Sql {

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

  /**
   * The tenant's map as the incident analysis's join gives it (a missing row means false), read
   * with the load generator's JDBC reader: a path that shares no code with the service's.
   */
  public static JsonObject expectedMap(String uri, String tenantId) {
    try (DataSet data = DataSet.connect(uri)) {
      return data.map(tenantId);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Backends connected under {@code applicationName} (a service node's), narrowed by
   * {@code condition}, an SQL fragment starting with AND ("" for all of them).
   */
  public static int backends(String uri, String applicationName, String condition) {
    try (Connection c = connect(uri);
         PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? " + condition)) {
      s.setString(1, applicationName);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
