package org.tenantfeatures.db.write;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.tenantfeatures.client.FeatureBus.Fields;

/** Tenants' records created or replaced, one or a batch, in one transaction with an audit row in each changed tenant's log. */
record TenantWrites(Pool pool) {

  /** What a change of a tenant's record returns: the record, and whether its attributes (its map's input) moved. */
  record Outcome(JsonObject record, boolean attributesChanged) {
  }

  /** What a batch returns: how many records it carried and changed, and the tenants whose attributes moved. */
  record BatchOutcome(int received, int changed, List<String> attributesChanged) {
  }

  /**
   * The batch's records, all or none, in one transaction: the existing ones locked (in id order,
   * as the upsert takes them, so two batches cannot deadlock), then created or replaced where they
   * differ, then one audit row per changed record.
   */
  Future<BatchOutcome> putAll(JsonArray records, String actor, String requestId) {
    UUID[] ids = records.stream().map(r -> UUID.fromString(((JsonObject) r).getString(Fields.TENANT_ID))).toArray(UUID[]::new);
    return pool.withTransaction(conn -> conn.preparedQuery(ReleaseQueries.TENANTS_FOR_UPDATE).execute(Tuple.of(ids))
        .compose(existing -> {
          JsonArray before = new JsonArray();
          for (Row row : existing) {
            before.add(new JsonObject().put("id", row.getUUID(0).toString())
                .put("before", new JsonObject().put(Fields.NAME, row.getString(1)).put(Fields.ATTRIBUTES, row.getJsonObject(2))));
          }
          return conn.preparedQuery(ReleaseQueries.UPSERT_TENANTS).execute(Tuple.of(records)).compose(upserted -> {
            List<UUID> changed = new ArrayList<>();
            List<String> moved = new ArrayList<>();
            for (Row row : upserted) {
              changed.add(row.getUUID(0));
              if (row.getBoolean(1)) {
                moved.add(row.getUUID(0).toString());
              }
            }
            if (changed.isEmpty()) {
              return Future.succeededFuture(new BatchOutcome(records.size(), 0, moved));
            }
            return conn.preparedQuery(ReleaseQueries.AUDIT_TENANTS)
                .execute(Tuple.of(changed.toArray(UUID[]::new), actor, records, requestId, before))
                .map(new BatchOutcome(records.size(), changed.size(), moved));
          });
        }));
  }

  Future<Outcome> put(String tenantId, String name, JsonObject attributes, String actor, String requestId) {
    UUID id = UUID.fromString(tenantId);
    return pool.withTransaction(conn -> conn.preparedQuery(ReleaseQueries.ENSURE_TENANT).execute(Tuple.of(id))
        .compose(created -> conn.preparedQuery(ReleaseQueries.TENANT_FOR_UPDATE).execute(Tuple.of(id))
            .compose(rows -> {
              Row old = rows.iterator().next();
              JsonObject before = created.size() > 0 ? null
                  : new JsonObject().put(Fields.NAME, old.getString(0)).put(Fields.ATTRIBUTES, old.getJsonObject(1));
              boolean changed = !attributes.equals(old.getJsonObject(1));
              JsonObject after = new JsonObject().put(Fields.NAME, name).put(Fields.ATTRIBUTES, attributes);
              return conn.preparedQuery(ReleaseQueries.UPDATE_TENANT).execute(Tuple.of(id, name, attributes))
                  .compose(updated -> conn.preparedQuery(ReleaseQueries.REVISION).execute(Tuple.of(id)).compose(revision -> {
                    long now = revision.iterator().next().getLong(0);
                    Row row = updated.iterator().next();
                    JsonObject record = new JsonObject().put(Fields.TENANT_ID, tenantId).put(Fields.NAME, name)
                        .put(Fields.ATTRIBUTES, attributes).put(Fields.REVISION, now)
                        .put("createdAt", row.getOffsetDateTime("created_at").toString())
                        .put("updatedAt", row.getOffsetDateTime("updated_at").toString());
                    return conn.preparedQuery(ReleaseQueries.AUDIT_TENANT)
                        .execute(Tuple.of(id, actor, before, after, now, requestId))
                        .map(new Outcome(record, changed));
                  }));
            })));
  }
}
