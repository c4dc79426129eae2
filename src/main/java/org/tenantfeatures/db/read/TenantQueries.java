package org.tenantfeatures.db.read;

/** SQL of the tenant feature map, run as prepared statements. */
final class TenantQueries {

  /**
   * A tenant's map in one statement, so that one complete result set is one consistent map (the
   * incident analysis's guarantee), without the join: {@code $1} the tenant, {@code $2} the
   * version of the catalogue the caller holds. Three kinds of rows, told apart by which columns
   * are set:
   * <ul>
   *   <li>one row with the tenant's revision (0 for a tenant never changed) and the catalogue's
   *       current version ({@code null} if its row was deleted by hand);</li>
   *   <li>a row per override: {@code id} and {@code enabled};</li>
   *   <li>a row per flag, {@code id} and {@code name}, only when the current version is not
   *       {@code $2}: the caller's catalogue is then out of date, and these rows replace it.</li>
   * </ul>
   * Every flag absent from the overrides is off. All from one snapshot: the version read is the
   * version of the catalogue the overrides refer to, so when it equals {@code $2} the caller's
   * catalogue is exactly the one this statement saw (see {@link CatalogueCopy}). Against the join
   * over every flag it replaced, PostgreSQL returns fewer and shorter rows and does no hash join
   * (docs/BENCHMARKS.md, "Figures behind the code").
   */
  static final String TENANT_MAP = """
      SELECT NULL::bigint AS id, NULL::boolean AS enabled, NULL::text AS name,
             COALESCE((SELECT revision FROM tenant_revisions WHERE tenant_id = $1), 0) AS revision,
             (SELECT version FROM catalogue_version) AS version
      UNION ALL
      SELECT tf.feature_id, tf.is_enabled, NULL, NULL, NULL FROM tenant_features tf WHERE tf.tenant_id = $1
      UNION ALL
      SELECT ff.id, NULL, ff.name, NULL, NULL FROM feature_flags ff
      WHERE (SELECT version FROM catalogue_version) IS DISTINCT FROM $2""";
  /** Positions of {@link #TENANT_MAP}'s columns. */
  static final int ID = 0;
  static final int ENABLED = 1;
  static final int NAME = 2;
  static final int REVISION = 3;
  static final int VERSION = 4;

  static final String ROLES = """
      SELECT name, description
      FROM roles
      WHERE tenant_id = $1
      ORDER BY name""";

  private TenantQueries() {
  }
}
