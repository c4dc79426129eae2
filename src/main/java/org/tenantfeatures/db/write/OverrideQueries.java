package org.tenantfeatures.db.write;

/** SQL of override writes, run as prepared statements in one transaction per write. */
final class OverrideQueries {

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

  private OverrideQueries() {
  }
}
