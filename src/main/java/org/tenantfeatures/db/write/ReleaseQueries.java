package org.tenantfeatures.db.write;

/** SQL of the release model's changes (targeting, segments, tenant records), each run in one transaction with its audit row. */
final class ReleaseQueries {

  /** The flag's targeting, locked until the change commits: two changes of it are audited in order. */
  static final String TARGETING_FOR_UPDATE = "SELECT targeting FROM feature_flags WHERE name = $1 FOR UPDATE";

  /**
   * The segments a targeting's rules name, locked against deletion (a segment's deletion locks its
   * row for update, then looks for the flags using it) until the targeting commits.
   */
  static final String SEGMENTS_FOR_SHARE = "SELECT name FROM segments WHERE name = ANY($1) FOR SHARE";

  /** The trigger moves the catalogue's version and announces the change to every node. */
  static final String SET_TARGETING = "UPDATE feature_flags SET targeting = $2, updated_at = now() WHERE name = $1";

  static final String SEGMENT_FOR_UPDATE = "SELECT definition FROM segments WHERE name = $1 FOR UPDATE";

  static final String UPSERT_SEGMENT = """
      INSERT INTO segments (name, definition) VALUES ($1, $2)
      ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, updated_at = now()""";

  /** The flags whose rules name the segment $1, by name. */
  static final String FLAGS_USING_SEGMENT = """
      SELECT name FROM feature_flags
      WHERE targeting -> 'rules' @> jsonb_build_array(jsonb_build_object('segment', $1::text))
      ORDER BY name""";

  static final String DELETE_SEGMENT = "DELETE FROM segments WHERE name = $1";

  /**
   * Makes sure the tenant has a row, so that the next statement can lock it: answers a row only
   * when this made it. A new row's empty attributes change no map (the trigger sees none moved).
   */
  static final String ENSURE_TENANT = "INSERT INTO tenants (id) VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING id";

  static final String TENANT_FOR_UPDATE = "SELECT name, attributes FROM tenants WHERE id = $1 FOR UPDATE";

  /** The trigger moves the tenant's revision, and announces it, when the attributes change. */
  static final String UPDATE_TENANT = """
      UPDATE tenants SET name = $2, attributes = $3, updated_at = now() WHERE id = $1
      RETURNING created_at, updated_at""";

  /** The tenant's revision after the update (its trigger moved it if the attributes changed). */
  static final String REVISION = "SELECT COALESCE((SELECT revision FROM tenant_revisions WHERE tenant_id = $1), 0)";

  /** The records a batch names that exist, locked until it commits: its audit rows' {@code before}. */
  static final String TENANTS_FOR_UPDATE = "SELECT id, name, attributes FROM tenants WHERE id = ANY($1) ORDER BY id FOR UPDATE";

  /**
   * A batch's records ($1: {@code [{tenantId, name, attributes}]}) created or replaced where they
   * differ; answers the ids it changed, and whether their attributes moved. The triggers move
   * revisions and announce, row by row.
   */
  static final String UPSERT_TENANTS = """
      WITH input AS (
        SELECT (r ->> 'tenantId')::uuid AS id, r ->> 'name' AS name, r -> 'attributes' AS attributes
        FROM jsonb_array_elements($1::jsonb) r),
      before AS (SELECT t.id, t.attributes FROM tenants t JOIN input USING (id))
      INSERT INTO tenants AS t (id, name, attributes)
      SELECT id, name, attributes FROM input ORDER BY id
      ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, attributes = EXCLUDED.attributes, updated_at = now()
      WHERE (t.name, t.attributes) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.attributes)
      RETURNING t.id, t.attributes IS DISTINCT FROM COALESCE((SELECT b.attributes FROM before b WHERE b.id = t.id), '{}'::jsonb)""";

  /** One audit row per changed record ($1 their ids), in its tenant's log, with the revision its trigger gave it. */
  static final String AUDIT_TENANTS = """
      INSERT INTO audit_log (tenant_id, actor, action, flag, before_json, after_json, revision, request_id)
      SELECT i.id, $2, 'tenant.put', NULL, b.before, jsonb_build_object('name', i.name, 'attributes', i.attributes),
             COALESCE((SELECT revision FROM tenant_revisions r WHERE r.tenant_id = i.id), 0), $4
      FROM (SELECT (r ->> 'tenantId')::uuid AS id, r ->> 'name' AS name, r -> 'attributes' AS attributes
            FROM jsonb_array_elements($3::jsonb) r) i
      LEFT JOIN (SELECT (e ->> 'id')::uuid AS id, e -> 'before' AS before FROM jsonb_array_elements($5::jsonb) e) b ON b.id = i.id
      WHERE i.id = ANY($1)""";

  /** A change of the catalogue (targeting, segment): no tenant, its JSON before and after. */
  static final String AUDIT_CATALOGUE = """
      INSERT INTO audit_log (tenant_id, actor, action, flag, segment, before_json, after_json, revision, request_id)
      VALUES (NULL, $1, $2, $3, $4, $5, $6, 0, $7)""";

  /** A change of a tenant's record, in that tenant's log, with the revision it gave the tenant. */
  static final String AUDIT_TENANT = """
      INSERT INTO audit_log (tenant_id, actor, action, flag, before_json, after_json, revision, request_id)
      VALUES ($1, $2, 'tenant.put', NULL, $3, $4, $5, $6)""";

  private ReleaseQueries() {
  }
}
