package org.tenantfeatures.tools;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.tenantfeatures.client.TenantIds;
import org.tenantfeatures.config.AppConfig;

/**
 * {@code scripts/db-inspect.sh}: the incident analysis's three inspections for one tenant,
 * straight against the service's database: its override rows, every flag, and the join whose
 * result the endpoint must return.
 */
public final class DbInspect {

  static final String USAGE = """
      Usage: scripts/db-inspect.sh [TENANT_ID]

      Runs the incident analysis's three inspections against the service's database (from the
      same configuration: conf/config.json, TF_CONFIG, TF_* variables): the tenant's rows in
      tenant_features, every row of feature_flags, and the join whose result the endpoint must
      answer with.
      TENANT_ID defaults to the incident's tenant 550e8400-e29b-41d4-a716-446655440000.
      """;

  static final String TENANT_ROWS = """
      SELECT tf.tenant_id, ff.name, tf.is_enabled, tf.updated_at
      FROM tenant_features tf JOIN feature_flags ff ON ff.id = tf.feature_id
      WHERE tf.tenant_id = ? ORDER BY ff.name""";
  static final String FLAGS = "SELECT id, name, description, updated_at FROM feature_flags ORDER BY name";
  static final String JOIN = """
      SELECT ff.name, tf.is_enabled
      FROM feature_flags ff
      LEFT OUTER JOIN tenant_features tf ON tf.feature_id = ff.id AND tf.tenant_id = ?
      ORDER BY ff.name""";

  private DbInspect() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
      System.out.print(USAGE);
      System.exit(args.length == 1 && (args[0].equals("-h") || args[0].equals("--help")) ? 0 : 2);
    }
    String tenant = TenantIds.canonical(args.length == 1 ? args[0] : "550e8400-e29b-41d4-a716-446655440000")
        .orElseThrow(() -> new IllegalArgumentException("not a tenant UUID: " + args[0]));
    AppConfig config = ToolConfig.load();
    System.out.println("database: " + redact(ToolConfig.databaseUri(config)) + "\n");
    try (Connection c = ToolConfig.connect(config)) {
      print(c, "-- 1. tenant_features rows of " + tenant, TENANT_ROWS, tenant);
      print(c, "-- 2. feature_flags", FLAGS, null);
      print(c, "-- 3. the join whose result the endpoint must answer with (NULL means false)", JOIN, tenant);
    }
  }

  private static void print(Connection c, String title, String sql, String tenant) throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      if (tenant != null) {
        s.setObject(1, UUID.fromString(tenant));
      }
      try (ResultSet rs = s.executeQuery()) {
        System.out.println(title);
        System.out.println(TextTable.render(rs));
      }
    }
  }

  /** Hides a password in a URI before printing it. */
  static String redact(String uri) {
    return uri.replaceAll("(//[^:/@]+):[^@]*@", "$1:***@");
  }
}
