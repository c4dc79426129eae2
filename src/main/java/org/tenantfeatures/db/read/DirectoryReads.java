package org.tenantfeatures.db.read;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.UUID;
import java.util.stream.Collectors;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.Directory;
import org.tenantfeatures.client.FailureCode;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.db.GuardedReads;
import org.tenantfeatures.db.Refusal;
import org.tenantfeatures.db.SqlTrace;

/** The directory's reads in SQL: pages of tenants and of a tenant's audit log, a tenant's record, each one prepared statement collected whole. */
public record DirectoryReads(SqlClient client, GuardedReads guarded, SqlTrace trace) {

  /** As {@link Directory#getTenant}. */
  public Future<JsonObject> getTenant(String tenantId, Call call) {
    Tuple parameters = Tuple.of(UUID.fromString(tenantId));
    return guarded.read(call.deadline(), () -> trace.run(DirectoryQueries.TENANT, parameters,
            () -> client.preparedQuery(DirectoryQueries.TENANT).execute(parameters)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new Refusal(FailureCode.UNKNOWN_TENANT, "Tenant " + tenantId + " has no record."));
          }
          Row row = rows.iterator().next();
          return Future.succeededFuture(new JsonObject().put(Fields.TENANT_ID, tenantId)
              .put(Fields.NAME, row.getString("name"))
              .put(Fields.ATTRIBUTES, row.getJsonObject("attributes"))
              .put(Fields.REVISION, row.getLong("revision"))
              .put("createdAt", row.getOffsetDateTime("created_at").toString())
              .put("updatedAt", row.getOffsetDateTime("updated_at").toString()));
        });
  }

  /** {@code {name: "value"}} as {@code {name: ["value"]}}: a string attribute searched for also matches a list holding it. */
  private static JsonObject asListMatch(JsonObject attribute) {
    if (attribute == null || attribute.size() != 1) {
      return null;
    }
    String name = attribute.fieldNames().iterator().next();
    return attribute.getValue(name) instanceof String value ? new JsonObject().put(name, new JsonArray().add(value)) : null;
  }

  /** As {@link Directory#auditPage}. */
  public Future<JsonObject> auditPage(String tenantId, int limit, Long before, String flag, Call call) {
    return audit(DirectoryQueries.AUDIT_PAGE, Tuple.of(UUID.fromString(tenantId), before == null ? Long.MAX_VALUE : before, limit, flag),
        limit, call);
  }

  /** As {@link Directory#catalogueAuditPage}. */
  public Future<JsonObject> catalogueAuditPage(int limit, Long before, String flag, String segment, Call call) {
    return audit(DirectoryQueries.CATALOGUE_AUDIT_PAGE, Tuple.of(before == null ? Long.MAX_VALUE : before, limit, flag, segment), limit,
        call);
  }

  /** A page of audit entries, newest first, with the next page's {@code before} (null after the last). */
  private Future<JsonObject> audit(String sql, Tuple parameters, int limit, Call call) {
    return guarded.read(call.deadline(), () -> trace.run(sql, parameters,
            () -> client.preparedQuery(sql)
                .collecting(Collectors.mapping(RowMappers::auditEntry, Collectors.toList()))
                .execute(parameters)))
        .map(SqlResult::value)
        .map(entries -> new JsonObject()
            .put(Fields.ENTRIES, new JsonArray(entries))
            .put(Fields.NEXT, entries.size() < limit ? null : entries.get(entries.size() - 1).getLong("id")));
  }

  /** As {@link Directory#tenantPage}. */
  public Future<JsonObject> tenantPage(String after, int limit, Collection<String> tenants, String namePrefix, JsonObject attribute,
      Call call) {
    UUID[] ids = tenants == null ? null : tenants.stream().map(UUID::fromString).toArray(UUID[]::new);
    Tuple parameters = Tuple.of(after == null ? null : UUID.fromString(after), ids, limit, namePrefix, attribute,
        asListMatch(attribute));
    return guarded.read(call.deadline(), () -> trace.run(DirectoryQueries.TENANT_PAGE, parameters,
            () -> client.preparedQuery(DirectoryQueries.TENANT_PAGE)
                .collecting(Collectors.mapping(row -> new JsonObject()
                    .put(Fields.TENANT_ID, row.getUUID(0).toString())
                    .put(Fields.REVISION, row.getLong(1))
                    .put(Fields.OVERRIDES, row.getLong(2))
                    .put(Fields.NAME, row.getString(3))
                    .put(Fields.ATTRIBUTES, row.getJsonObject(4)), Collectors.toList()))
                .execute(parameters)))
        .map(SqlResult::value)
        .map(page -> new JsonObject()
            .put(Fields.TENANTS, new JsonArray(page))
            .put(Fields.NEXT, page.size() < limit ? null : page.get(page.size() - 1).getString(Fields.TENANT_ID)));
  }
}
