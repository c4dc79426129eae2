package org.tenantfeatures.db.read;

/** SQL of a flag's population: the catalogue and every known tenant's inputs for the flag, read in one snapshot. */
final class PopulationQueries {

  /** The catalogue: a row with its version, a row per flag (id, name, targeting), a row per segment (name, definition, no id). */
  static final String CATALOGUE = """
      SELECT NULL::bigint AS id, NULL::text AS name, (SELECT version FROM catalogue_version) AS version, NULL::jsonb AS detail
      UNION ALL
      SELECT id, name, NULL, targeting FROM feature_flags
      UNION ALL
      SELECT NULL, name, NULL, definition FROM segments""";

  /**
   * Every tenant the service knows of (a revision row: a record, or overrides ever changed), by
   * id, with its record's name and attributes (null without one) and its override of the flag
   * $1 (null without one).
   */
  static final String KNOWN_TENANTS = """
      SELECT r.tenant_id, t.name, t.attributes, tf.is_enabled
      FROM tenant_revisions r
      LEFT JOIN tenants t ON t.id = r.tenant_id
      LEFT JOIN tenant_features tf ON tf.tenant_id = r.tenant_id AND tf.feature_id = (SELECT id FROM feature_flags WHERE name = $1)
      ORDER BY r.tenant_id""";

  private PopulationQueries() {
  }
}
