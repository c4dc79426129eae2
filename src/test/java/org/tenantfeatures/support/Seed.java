package org.tenantfeatures.support;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Test data written straight into the tables with SQL. */
public final class Seed {

  private Seed() {
  }

  /** Creates {@code count} flags named {@code flag_000...}. */
  public static void flags(String dbUri, int count) {
    Sql.execute(dbUri, "INSERT INTO feature_flags (name, description) "
        + "SELECT 'flag_' || lpad(i::text, 3, '0'), 'test flag ' || i FROM generate_series(0, " + (count - 1) + ") i "
        + "ON CONFLICT (name) DO NOTHING");
  }

  /**
   * Gives a tenant a row for about two flags in three, alternately enabled and disabled, varied
   * by the tenant id so that no two tenants share a map by accident.
   */
  public static String tenantWithData(String dbUri) {
    String tenant = UUID.randomUUID().toString();
    Sql.execute(dbUri, "INSERT INTO tenant_features (tenant_id, feature_id, is_enabled) "
        + "SELECT '" + tenant + "', id, (id + " + (tenant.hashCode() & 7) + ") % 2 = 0 FROM feature_flags "
        + "WHERE (id + " + (tenant.hashCode() & 3) + ") % 3 <> 0");
    return tenant;
  }

  public static List<String> tenantsWithData(String dbUri, int count) {
    List<String> tenants = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tenants.add(tenantWithData(dbUri));
    }
    return tenants;
  }
}
