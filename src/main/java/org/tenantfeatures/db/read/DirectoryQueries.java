package org.tenantfeatures.db.read;

/** SQL of the directory's reads: pages of tenants and of a tenant's audit log. */
final class DirectoryQueries {

  /** A page of a tenant's audit entries, newest first, strictly before an id; of one flag if $4 is not null. */
  static final String AUDIT_PAGE = """
      SELECT id, actor, action, flag, segment, before, after, before_json, after_json, revision, request_id, at
      FROM audit_log
      WHERE tenant_id = $1 AND id < $2 AND ($4::text IS NULL OR flag = $4)
      ORDER BY id DESC
      LIMIT $3""";

  /** The catalogue's entries (no tenant's): flags made and deleted, targeting and segment changes. */
  static final String CATALOGUE_AUDIT_PAGE = """
      SELECT id, actor, action, flag, segment, before, after, before_json, after_json, revision, request_id, at
      FROM audit_log
      WHERE tenant_id IS NULL AND id < $1 AND ($3::text IS NULL OR flag = $3) AND ($4::text IS NULL OR segment = $4)
      ORDER BY id DESC
      LIMIT $2""";

  /**
   * A page of the tenants the service knows of (each has a revision row, kept by triggers: a
   * record, or overrides ever changed, so changes made in SQL count), by id after $1 (from the
   * first if null), with how many overrides each has now and its record if it has one; only the
   * ids of $2 unless it is null (a token scoped to some tenants); only records whose lower-case
   * name starts with $4 unless it is null; only records whose attributes contain $5 or $6 unless
   * $5 is null ($6: the same value as a one-string list, for list attributes).
   */
  static final String TENANT_PAGE = """
      SELECT r.tenant_id, r.revision,
             (SELECT count(*) FROM tenant_features tf WHERE tf.tenant_id = r.tenant_id) AS overrides,
             t.name, t.attributes
      FROM tenant_revisions r LEFT JOIN tenants t ON t.id = r.tenant_id
      WHERE ($1::uuid IS NULL OR r.tenant_id > $1) AND ($2::uuid[] IS NULL OR r.tenant_id = ANY($2))
        AND ($4::text IS NULL OR starts_with(lower(t.name), $4))
        AND ($5::jsonb IS NULL OR t.attributes @> $5 OR t.attributes @> $6)
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
