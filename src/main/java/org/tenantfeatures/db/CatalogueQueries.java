package org.tenantfeatures.db;

/** SQL of the catalogue's reads. */
final class CatalogueQueries {

  static final String LIST = "SELECT name, description FROM feature_flags ORDER BY name";
  /** One flag and how many tenants override it (what deleting it would remove; an index on feature_id, V4). */
  static final String ONE_WITH_OVERRIDES = """
      SELECT ff.name, ff.description, ff.targeting,
             (SELECT count(*) FROM tenant_features tf WHERE tf.feature_id = ff.id) AS overrides
      FROM feature_flags ff WHERE ff.name = $1""";

  static final String SEGMENTS = "SELECT name, definition FROM segments ORDER BY name";

  /** A segment's definition and the flags whose rules name it. */
  static final String SEGMENT_WITH_FLAGS = """
      SELECT s.definition,
             ARRAY(SELECT ff.name FROM feature_flags ff
                   WHERE ff.targeting -> 'rules' @> jsonb_build_array(jsonb_build_object('segment', s.name))
                   ORDER BY ff.name) AS flags
      FROM segments s WHERE s.name = $1""";

  private CatalogueQueries() {
  }
}
