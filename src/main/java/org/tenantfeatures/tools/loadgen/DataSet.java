package org.tenantfeatures.tools.loadgen;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.tenantfeatures.boot.Migrations;

/**
 * The load generator's own JDBC view of the service's database: it seeds data sets, picks
 * tenants, and reads the truth that answers are checked against, by a path that shares no code
 * with the service's reactive one.
 */
public final class DataSet implements AutoCloseable {

  /** The incident analysis's join, as its team ran it by hand. */
  static final String TENANT_MAP = """
      SELECT ff.name, tf.is_enabled
      FROM feature_flags ff
      LEFT OUTER JOIN tenant_features tf ON tf.feature_id = ff.id AND tf.tenant_id = ?""";

  static final String FLIP = """
      INSERT INTO tenant_features (tenant_id, feature_id, is_enabled)
      SELECT ?, id, ? FROM feature_flags WHERE name = ?
      ON CONFLICT (tenant_id, feature_id) DO UPDATE SET is_enabled = EXCLUDED.is_enabled, updated_at = now()""";

  private final PgConnectOptions target;
  private Connection connection;

  private DataSet(PgConnectOptions target) {
    this.target = target;
  }

  public static DataSet connect(String uri) throws SQLException {
    DataSet data = new DataSet(PgConnectOptions.fromUri(uri));
    data.connection();
    return data;
  }

  /** The open connection, opened again after a failure: fault tests restart the database. */
  private synchronized Connection connection() throws SQLException {
    if (connection == null || !connection.isValid(2)) {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException ignored) {
          // it is broken already; a new one replaces it
        }
      }
      connection = DriverManager.getConnection(Migrations.jdbcUrl(target), target.getUser(), target.getPassword());
    }
    return connection;
  }

  /** Tenant ids of a seeded data set: name-based, so reruns address the same tenants. */
  public static String seededTenant(int i) {
    return UUID.nameUUIDFromBytes(("tenant-features-load-" + i).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * Creates {@code flags} flags {@code load_flag_NNN} and gives each of {@code tenants} tenants
   * a row for about two flags in three, alternately on and off. Idempotent.
   */
  public void seed(int flags, int tenants) throws SQLException {
    try (PreparedStatement f = connection().prepareStatement(
        "INSERT INTO feature_flags (name, description) SELECT 'load_flag_' || lpad(i::text, 3, '0'), 'load test flag' "
            + "FROM generate_series(0, ? - 1) i ON CONFLICT (name) DO NOTHING")) {
      f.setInt(1, flags);
      f.execute();
    }
    try (PreparedStatement t = connection().prepareStatement(
        "INSERT INTO tenant_features (tenant_id, feature_id, is_enabled) "
            + "SELECT ?, id, (id + ?) % 2 = 0 FROM feature_flags WHERE name LIKE 'load_flag_%' AND (id + ?) % 3 <> 0 "
            + "ON CONFLICT (tenant_id, feature_id) DO NOTHING")) {
      for (int i = 0; i < tenants; i++) {
        t.setObject(1, UUID.fromString(seededTenant(i)));
        t.setInt(2, i);
        t.setInt(3, i);
        t.addBatch();
      }
      t.executeBatch();
    }
  }

  /** Up to {@code count} tenants that have rows, in a stable order. */
  public List<String> tenantsWithRows(int count) throws SQLException {
    List<String> tenants = new ArrayList<>();
    try (PreparedStatement s = connection().prepareStatement(
        "SELECT DISTINCT tenant_id FROM tenant_features ORDER BY tenant_id LIMIT ?")) {
      s.setInt(1, count);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          tenants.add(rs.getString(1));
        }
      }
    }
    return tenants;
  }

  /** The tenant's map now: every flag, a missing row read as false. */
  public JsonObject map(String tenantId) throws SQLException {
    try (PreparedStatement s = connection().prepareStatement(TENANT_MAP)) {
      s.setObject(1, UUID.fromString(tenantId));
      JsonObject map = new JsonObject();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          map.put(rs.getString(1), rs.getBoolean(2));
        }
      }
      return map;
    }
  }

  /** Sets one override (autocommit: committed when this returns). */
  public void set(String tenantId, String flag, boolean enabled) throws SQLException {
    try (PreparedStatement s = connection().prepareStatement(FLIP)) {
      s.setObject(1, UUID.fromString(tenantId));
      s.setBoolean(2, enabled);
      s.setString(3, flag);
      if (s.executeUpdate() != 1) {
        throw new SQLException("flag " + flag + " does not exist");
      }
    }
  }

  @Override
  public synchronized void close() throws SQLException {
    if (connection != null) {
      connection.close();
    }
  }
}
