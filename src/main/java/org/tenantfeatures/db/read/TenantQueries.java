package org.tenantfeatures.db.read;

import org.tenantfeatures.catalogue.CatalogueCopy;

/** SQL of the tenant feature map, run as prepared statements. */
final class TenantQueries {

  /**
   * A tenant's map's inputs in one statement, so that one complete result set is one consistent
   * map (the incident analysis's guarantee), without the join: {@code $1} the tenant, {@code $2}
   * the version of the catalogue the caller holds. Four kinds of rows, told apart by which
   * columns are set:
   * <ul>
   *   <li>one row with the tenant's revision (0 for a tenant never changed), the catalogue's
   *       current version ({@code null} if its row was deleted by hand) and in {@code detail} the
   *       tenant's attributes (the copy {@code tenant_revisions} keeps: one index lookup for both;
   *       {@code null} for a tenant unknown, {@code {}} for one without attributes);</li>
   *   <li>a row per override: {@code id} and {@code enabled};</li>
   *   <li>only when the current version is not {@code $2} (the caller's catalogue is then out of
   *       date, and these rows replace it): a row per flag, {@code id}, {@code name} and its
   *       targeting in {@code detail}; a row per segment, {@code name} and its definition in
   *       {@code detail}, without an id.</li>
   * </ul>
   * All from one snapshot: the version read is the version of the catalogue (flags, targeting,
   * segments) the overrides refer to, so when it equals {@code $2} the caller's catalogue is
   * exactly the one this statement saw (see {@link CatalogueCopy}); the catalogue's two tables
   * share one version check (one subplan, a one-time filter on each: a check per table cost 10 %
   * of PostgreSQL's throughput). Against the join over every
   * flag it replaced, PostgreSQL returns fewer and shorter rows and does no hash join
   * (docs/BENCHMARKS.md, "Figures behind the code").
   */
  static final String TENANT_MAP = """
      SELECT NULL::bigint AS id, NULL::boolean AS enabled, NULL::text AS name,
             COALESCE(r.revision, 0) AS revision,
             (SELECT version FROM catalogue_version) AS version,
             r.attributes AS detail
      FROM (SELECT 1) one LEFT JOIN tenant_revisions r ON r.tenant_id = $1
      UNION ALL
      SELECT tf.feature_id, tf.is_enabled, NULL, NULL, NULL, NULL FROM tenant_features tf WHERE tf.tenant_id = $1
      UNION ALL
      SELECT c.id, NULL, c.name, NULL, NULL, c.detail
      FROM (SELECT id, name, targeting AS detail FROM feature_flags
            UNION ALL
            SELECT NULL, name, definition FROM segments) c
      WHERE (SELECT version FROM catalogue_version) IS DISTINCT FROM $2""";
  /** Positions of {@link #TENANT_MAP}'s columns. */
  static final int ID = 0;
  static final int ENABLED = 1;
  static final int NAME = 2;
  static final int REVISION = 3;
  static final int VERSION = 4;
  static final int DETAIL = 5;

  /**
   * The audit entry that last changed the input deciding a tenant's value of a flag: {@code $1}
   * the tenant, {@code $2} the flag, {@code $3} whether its override decided, {@code $4} the
   * deciding segment (or null), {@code $5} whether the flag's targeting decided (a rule, the
   * rollout or the default). A segment's decision rests on the segment, the tenant's attributes
   * and the flag's rules: the newest of their entries is answered. Each branch is a short read
   * of its own index or of the few catalogue entries.
   */
  static final String LAST_CHANGE = """
      SELECT actor, action, request_id, at FROM (
        (SELECT id, actor, action, request_id, at FROM audit_log
         WHERE $3 AND tenant_id = $1 AND flag = $2 ORDER BY id DESC LIMIT 1)
        UNION ALL
        (SELECT id, actor, action, request_id, at FROM audit_log
         WHERE $4::text IS NOT NULL AND tenant_id = $1 AND action = 'tenant.put' ORDER BY id DESC LIMIT 1)
        UNION ALL
        (SELECT id, actor, action, request_id, at FROM audit_log
         WHERE $4::text IS NOT NULL AND tenant_id IS NULL AND segment = $4 ORDER BY id DESC LIMIT 1)
        UNION ALL
        (SELECT id, actor, action, request_id, at FROM audit_log
         WHERE $5 AND tenant_id IS NULL AND flag = $2 AND action IN ('flag.targeting', 'flag.create') ORDER BY id DESC LIMIT 1)
      ) entries ORDER BY id DESC LIMIT 1""";

  static final String ROLES = """
      SELECT name, description
      FROM roles
      WHERE tenant_id = $1
      ORDER BY name""";

  private TenantQueries() {
  }
}
