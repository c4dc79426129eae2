package org.tenantfeatures.db.write;

/** SQL of override writes, run as prepared statements in one transaction per write. */
public final class OverrideQueries {

  /** Makes sure the tenant has a revision row, so that the next statement can lock it. */
  static final String ENSURE_REVISION = """
      INSERT INTO tenant_revisions (tenant_id, revision) VALUES ($1, 0)
      ON CONFLICT (tenant_id) DO NOTHING""";

  /** Serialises the writes of one tenant: concurrent writers queue here, none is lost. */
  static final String LOCK_TENANT = "SELECT revision FROM tenant_revisions WHERE tenant_id = $1 FOR UPDATE";

  static final String FLAG_ID = "SELECT id FROM feature_flags WHERE name = $1";

  static final String CURRENT = "SELECT is_enabled FROM tenant_features WHERE tenant_id = $1 AND feature_id = $2";

  static final String UPSERT = """
      INSERT INTO tenant_features (tenant_id, feature_id, is_enabled) VALUES ($1, $2, $3)
      ON CONFLICT (tenant_id, feature_id) DO UPDATE SET is_enabled = EXCLUDED.is_enabled, updated_at = now()""";

  static final String DELETE = "DELETE FROM tenant_features WHERE tenant_id = $1 AND feature_id = $2";

  /** After the change: the trigger has bumped it if the override really changed. */
  static final String REVISION = "SELECT revision FROM tenant_revisions WHERE tenant_id = $1";

  static final String AUDIT = """
      INSERT INTO audit_log (tenant_id, actor, action, flag, before, after, revision, request_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";

  /** A page of a tenant's audit entries, newest first, strictly before an id; of one flag if $4 is not null. */
  public static final String AUDIT_PAGE = """
      SELECT id, actor, action, flag, before, after, revision, request_id, at
      FROM audit_log
      WHERE tenant_id = $1 AND id < $2 AND ($4::text IS NULL OR flag = $4)
      ORDER BY id DESC
      LIMIT $3""";

  /**
   * A page of the tenants whose overrides were ever changed (each has a revision row, kept by a
   * trigger, so changes made in SQL count), by id after $1 (from the first if null), with how many overrides each has now;
   * only the ids of $2 unless it is null (a token scoped to some tenants).
   */
  public static final String TENANT_PAGE = """
      SELECT r.tenant_id, r.revision,
             (SELECT count(*) FROM tenant_features tf WHERE tf.tenant_id = r.tenant_id) AS overrides
      FROM tenant_revisions r
      WHERE ($1::uuid IS NULL OR r.tenant_id > $1) AND ($2::uuid[] IS NULL OR r.tenant_id = ANY($2))
      ORDER BY r.tenant_id
      LIMIT $3""";

  private OverrideQueries() {
  }
}
