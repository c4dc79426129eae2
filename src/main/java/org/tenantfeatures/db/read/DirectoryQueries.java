package org.tenantfeatures.db.read;

/** SQL of the directory's reads: pages of tenants and of a tenant's audit log. */
final class DirectoryQueries {

  /** A page of a tenant's audit entries, newest first, strictly before an id; of one flag if $4 is not null. */
  static final String AUDIT_PAGE = """
      SELECT id, actor, action, flag, before, after, before_json, after_json, revision, request_id, at
      FROM audit_log
      WHERE tenant_id = $1 AND id < $2 AND ($4::text IS NULL OR flag = $4)
      ORDER BY id DESC
      LIMIT $3""";

  /**
   * A page of the tenants whose overrides were ever changed (each has a revision row, kept by a
   * trigger, so changes made in SQL count), by id after $1 (from the first if null), with how many overrides each has now;
   * only the ids of $2 unless it is null (a token scoped to some tenants).
   */
  static final String TENANT_PAGE = """
      SELECT r.tenant_id, r.revision,
             (SELECT count(*) FROM tenant_features tf WHERE tf.tenant_id = r.tenant_id) AS overrides
      FROM tenant_revisions r
      WHERE ($1::uuid IS NULL OR r.tenant_id > $1) AND ($2::uuid[] IS NULL OR r.tenant_id = ANY($2))
      ORDER BY r.tenant_id
      LIMIT $3""";

  /** A tenant's record and its revision. */
  static final String TENANT = """
      SELECT t.name, t.attributes, t.created_at, t.updated_at,
             COALESCE((SELECT revision FROM tenant_revisions r WHERE r.tenant_id = t.id), 0) AS revision
      FROM tenants t WHERE t.id = $1""";

  private DirectoryQueries() {
  }
}
