package org.tenantfeatures.db.write;

/** SQL of the catalogue's changes, run as prepared statements in one transaction per change. */
final class FlagQueries {

  /** Answers nothing when the name is taken: the caller turns that into a conflict. */
  static final String CREATE = """
      INSERT INTO feature_flags (name, description) VALUES ($1, $2)
      ON CONFLICT (name) DO NOTHING
      RETURNING name, description""";

  static final String DESCRIPTION_FOR_UPDATE = "SELECT description FROM feature_flags WHERE name = $1 FOR UPDATE";

  static final String UPDATE_DESCRIPTION = "UPDATE feature_flags SET description = $2, updated_at = now() WHERE name = $1";

  /**
   * Locks the flag against override writes (theirs reference it, which takes a key-share lock)
   * until the transaction that deletes it ends, so no override escapes the audit.
   */
  static final String LOCK = "SELECT id FROM feature_flags WHERE name = $1 FOR UPDATE";

  /** Every tenant's override of the flag, removed; the triggers bump each tenant's revision. */
  static final String REMOVE_OVERRIDES = "DELETE FROM tenant_features WHERE feature_id = $1 RETURNING tenant_id, is_enabled";

  /**
   * One audit row in the log of each tenant that lost an override, with the revision that the
   * removal gave it: the tenant's own log shows what changed its map, and who did it.
   */
  static final String AUDIT_REMOVED_OVERRIDES = """
      INSERT INTO audit_log (tenant_id, actor, action, flag, before, after, revision, request_id)
      SELECT removed.tenant_id, $3, 'flag.delete', $4, removed.before, NULL, r.revision, $5
      FROM unnest($1::uuid[], $2::boolean[]) AS removed(tenant_id, before)
      JOIN tenant_revisions r ON r.tenant_id = removed.tenant_id""";

  /** Once its overrides are gone: every tenant's map loses the flag. */
  static final String DELETE = "DELETE FROM feature_flags WHERE name = $1 RETURNING description";

  static final String AUDIT = """
      INSERT INTO audit_log (tenant_id, actor, action, flag, before, after, revision, request_id)
      VALUES (NULL, $1, $2, $3, NULL, NULL, 0, $4)""";

  private FlagQueries() {
  }
}
