package org.tenantfeatures.db;

/** SQL of the flag catalogue, run as prepared statements. */
final class FlagQueries {

  static final String LIST = "SELECT name, description FROM feature_flags ORDER BY name";

  /** Answers nothing when the name is taken: the caller turns that into a conflict. */
  static final String CREATE = """
      INSERT INTO feature_flags (name, description) VALUES ($1, $2)
      ON CONFLICT (name) DO NOTHING
      RETURNING name, description""";

  static final String DESCRIPTION_FOR_UPDATE = "SELECT description FROM feature_flags WHERE name = $1 FOR UPDATE";

  static final String UPDATE_DESCRIPTION = "UPDATE feature_flags SET description = $2, updated_at = now() WHERE name = $1";

  /** Its tenant overrides go with it (ON DELETE CASCADE); every tenant's map loses the flag. */
  static final String DELETE = "DELETE FROM feature_flags WHERE name = $1 RETURNING description";

  static final String AUDIT = """
      INSERT INTO audit_log (tenant_id, actor, action, flag, before, after, revision, request_id)
      VALUES (NULL, $1, $2, $3, NULL, NULL, 0, $4)""";

  private FlagQueries() {
  }
}
