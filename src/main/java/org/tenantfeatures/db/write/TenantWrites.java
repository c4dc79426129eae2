package org.tenantfeatures.db.write;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.tenantfeatures.client.FeatureBus.Fields;

/** A tenant's record created or replaced, in one transaction with its audit row in the tenant's log. */
record TenantWrites(Pool pool) {

  /** What a change of a tenant's record returns: the record, and whether its attributes (its map's input) moved. */
  record Outcome(JsonObject record, boolean attributesChanged) {
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
