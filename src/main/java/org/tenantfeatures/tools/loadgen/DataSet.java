package org.tenantfeatures.tools.loadgen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.tenantfeatures.boot.Migrations;

/**
 * The load generator's own JDBC view of the service's database: it seeds data sets, picks
 * tenants, and reads the truth that answers are checked against, by a path that shares no code
 * with the service's reactive one.
 */
public final class DataSet implements AutoCloseable {

  /**
   * The incident analysis's join, as its team ran it by hand, with what the release model added:
   * each flag's targeting, the segments, the tenant's attributes. One statement, so one snapshot:
   * {@code kind} tells the rows apart.
   */
  static final String TENANT_MAP = """
      SELECT 'flag' AS kind, ff.name, ff.targeting::text AS json, tf.is_enabled
      FROM feature_flags ff
      LEFT OUTER JOIN tenant_features tf ON tf.feature_id = ff.id AND tf.tenant_id = ?
      UNION ALL
      SELECT 'segment', s.name, s.definition::text, NULL FROM segments s
      UNION ALL
      SELECT 'tenant', NULL, t.attributes::text, NULL FROM tenants t WHERE t.id = ?""";

  private static final ObjectMapper JSON = new ObjectMapper();

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

  /**
   * The tenant's map now: every flag, decided by {@link ReferenceEvaluator} (the override, the
   * first rule whose segment holds the tenant, the rollout, the default; without targeting, a
   * missing row read as false, the incident's join).
   */
  public JsonObject map(String tenantId) throws SQLException {
    return rows(tenantId).map();
  }

  /** What the tenant's map is decided from, as the database has it now (one statement). */
  public TenantRows rows(String tenantId) throws SQLException {
    try (PreparedStatement s = connection().prepareStatement(TENANT_MAP)) {
      s.setObject(1, UUID.fromString(tenantId));
      s.setObject(2, UUID.fromString(tenantId));
      Map<String, Map<String, Object>> flags = new TreeMap<>();
      Map<String, Map<String, Object>> segments = new HashMap<>();
      Map<String, Boolean> overrides = new HashMap<>();
      Map<String, Object> attributes = Map.of();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String kind = rs.getString(1);
          Map<String, Object> json = parse(rs.getString(3));
          if ("flag".equals(kind)) {
            flags.put(rs.getString(2), json);
            Boolean enabled = (Boolean) rs.getObject(4);
            if (enabled != null) {
              overrides.put(rs.getString(2), enabled);
            }
          } else if ("segment".equals(kind)) {
            segments.put(rs.getString(2), json);
          } else {
            attributes = json;
          }
        }
      }
      return new TenantRows(tenantId, flags, segments, attributes, overrides);
    }
  }

  /** One tenant's inputs with the catalogue, as read: flags by name with their targeting, segments by name. */
  public record TenantRows(String tenantId, Map<String, Map<String, Object>> flags, Map<String, Map<String, Object>> segments,
                           Map<String, Object> attributes, Map<String, Boolean> overrides) {

    public JsonObject map() {
      JsonObject map = new JsonObject();
      ReferenceEvaluator.evaluate(flags, segments, tenantId, attributes, overrides).forEach((flag, result) -> map.put(flag, result.value()));
      return map;
    }

    /** The map if {@code flag}'s targeting were {@code targeting} instead. */
    public JsonObject mapWith(String flag, Map<String, Object> targeting) {
      Map<String, Map<String, Object>> changed = new TreeMap<>(flags);
      changed.put(flag, targeting);
      return new TenantRows(tenantId, changed, segments, attributes, overrides).map();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String json) throws SQLException {
    if (json == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable JSON in the database: " + e.getMessage(), e);
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
