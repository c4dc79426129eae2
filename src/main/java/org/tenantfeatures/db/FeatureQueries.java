package org.tenantfeatures.db;

/** SQL of the tenant feature map, run as prepared statements. */
final class FeatureQueries {

  /**
   * Every flag with the tenant's override or {@code false}, and whether it is the tenant's own
   * value: the incident analysis's join, kept as one statement so that one complete result set is
   * one consistent map; the tenant's revision rides on every row, read in the same snapshot (0 for
   * a tenant never changed). No ORDER BY: the rows are sorted by name as they are collected
   * ({@link RowMappers#featureMap()}), which costs the database nothing.
   */
  static final String TENANT_FEATURE_MAP = """
      SELECT ff.name, COALESCE(tf.is_enabled, false) AS enabled, tf.tenant_id IS NOT NULL AS overridden,
             COALESCE((SELECT revision FROM tenant_revisions WHERE tenant_id = $1), 0) AS revision
      FROM feature_flags ff
      LEFT JOIN tenant_features tf ON tf.feature_id = ff.id AND tf.tenant_id = $1""";
  /** Positions of {@link #TENANT_FEATURE_MAP}'s columns. */
  static final int NAME = 0;
  static final int ENABLED = 1;
  static final int OVERRIDDEN = 2;
  static final int REVISION = 3;

  private FeatureQueries() {
  }
}
