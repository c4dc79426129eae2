package org.tenantfeatures.db.write;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Objects;
import java.util.UUID;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.db.UnknownFlagException;

/**
 * Sets or clears one tenant override, with its audit row, in one transaction. The tenant's
 * revision row is locked first, so concurrent writers of a tenant take turns and each audit row
 * records the state it really replaced.
 */
record OverrideWrites(Pool pool) {

  /** A write's answer {@code {tenantId, flag, enabled, revision}}, and whether it changed anything. */
  record Outcome(JsonObject answer, boolean changed) {
  }


  /**
   * A write that would leave the override as it is changes nothing: no statement that changes a
   * row, no audit row, the revision kept, and {@link Outcome#changed()} false, so that nothing is
   * announced either.
   *
   * @param enabled the new override, or null to remove it (the flag falls back to false)
   */
  Future<Outcome> set(String tenantId, String flag, Boolean enabled, String actor, String requestId) {
    UUID tenant = UUID.fromString(tenantId);
    return pool.withTransaction(conn -> conn.preparedQuery(OverrideQueries.ENSURE_REVISION).execute(Tuple.of(tenant))
        .compose(v -> conn.preparedQuery(OverrideQueries.LOCK_TENANT).execute(Tuple.of(tenant)))
        .compose(locked -> conn.preparedQuery(OverrideQueries.FLAG_ID).execute(Tuple.of(flag))
            .compose(ids -> {
              if (ids.size() == 0) {
                return Future.failedFuture(new UnknownFlagException(flag));
              }
              long flagId = ids.iterator().next().getLong(0);
              return conn.preparedQuery(OverrideQueries.CURRENT).execute(Tuple.of(tenant, flagId)).compose(current -> {
                if (Objects.equals(value(current), enabled)) {
                  return Future.succeededFuture(new Outcome(answer(tenantId, flag, enabled, locked.iterator().next().getLong(0)), false));
                }
                return change(conn, tenant, flagId, enabled)
                    .compose(v -> conn.preparedQuery(OverrideQueries.REVISION).execute(Tuple.of(tenant)))
                    .compose(revision -> audit(conn, tenant, flag, actor, requestId, value(current), enabled, revision))
                    .map(revision -> new Outcome(answer(tenantId, flag, enabled, revision), true));
              });
            })));
  }

  private static JsonObject answer(String tenantId, String flag, Boolean enabled, long revision) {
    return new JsonObject()
        .put(Fields.TENANT_ID, tenantId)
        .put(Fields.FLAG, flag)
        .put(Fields.ENABLED, enabled)
        .put(Fields.REVISION, revision);
  }

  private static Future<RowSet<Row>> change(SqlConnection conn, UUID tenant, long flagId, Boolean enabled) {
    return enabled == null
        ? conn.preparedQuery(OverrideQueries.DELETE).execute(Tuple.of(tenant, flagId))
        : conn.preparedQuery(OverrideQueries.UPSERT).execute(Tuple.of(tenant, flagId, enabled));
  }

  private static Future<Long> audit(SqlConnection conn, UUID tenant, String flag, String actor, String requestId,
                                    Boolean before, Boolean after, RowSet<Row> revisionRows) {
    long revision = revisionRows.iterator().next().getLong(0);
    String action = after == null ? "override.clear" : "override.set";
    return conn.preparedQuery(OverrideQueries.AUDIT)
        .execute(Tuple.from(new Object[] {tenant, actor, action, flag, before, after, revision, requestId}))
        .map(revision);
  }

  private static Boolean value(RowSet<Row> current) {
    return current.size() == 0 ? null : current.iterator().next().getBoolean(0);
  }
}
