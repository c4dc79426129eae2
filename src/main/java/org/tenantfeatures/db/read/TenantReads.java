package org.tenantfeatures.db.read;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.tenantfeatures.client.Deadline;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.db.GuardedReads;
import org.tenantfeatures.db.SqlTrace;
import org.tenantfeatures.db.write.OverrideQueries;

/**
 * A tenant's reads: its feature map, its roles, a page of its audit log. Each is one prepared
 * statement on the pipelined read client whose whole result set is collected before the reply is built, behind the breaker and
 * the deadline-bounded retries of {@link GuardedReads}, traced by {@link SqlTrace}.
 */
public final class TenantReads {

  private final SqlClient client;
  private final GuardedReads reads;
  private final SqlTrace trace;
  /**
   * The last catalogue a map read brought. Written when a read completes, read when one starts
   * (on this verticle's event loop, while the rows are collected on the connection's: hence
   * volatile); each read keeps the catalogue whose version it sent, so reads in flight across a
   * change each build their map with the catalogue their own statement saw.
   */
  private volatile CatalogueCopy catalogue = CatalogueCopy.NONE;

  public TenantReads(SqlClient client, GuardedReads reads, SqlTrace trace) {
    this.client = client;
    this.reads = reads;
    this.trace = trace;
  }

  /** {@code {tenantId, features: {flag: bool, ...}, overridden: [flag, ...], revision, dbMs}}: every flag, complete. */
  public Future<JsonObject> features(String tenantId, Deadline deadline) {
    long start = System.nanoTime();
    return reads.read(deadline, () -> {
          CatalogueCopy held = catalogue;
          Tuple parameters = Tuple.of(UUID.fromString(tenantId), held.versionToSend());
          return trace.run(FeatureQueries.TENANT_MAP, parameters,
              () -> client.preparedQuery(FeatureQueries.TENANT_MAP)
                  .collecting(RowMappers.tenantMap(held))
                  .execute(parameters));
        })
        .map(SqlResult::value)
        .map(read -> {
          if (read.newCatalogue() != null) {
            catalogue = read.newCatalogue();
          }
          RowMappers.TenantRows rows = read.rows();
          return timed(new JsonObject()
              .put(Fields.TENANT_ID, tenantId)
              .put(Fields.FEATURES, new JsonObject(rows.features()))
              .put(Fields.OVERRIDDEN, new JsonArray(rows.overridden()))
              .put(Fields.REVISION, rows.revision()), start);
        });
  }

  /** {@code {tenantId, roles: [{name, description}, ...], dbMs}} by name. */
  public Future<JsonObject> roles(String tenantId, Deadline deadline) {
    long start = System.nanoTime();
    Tuple parameters = Tuple.of(UUID.fromString(tenantId));
    return reads.read(deadline, () -> trace.run(RoleQueries.TENANT_ROLES, parameters,
            () -> client.preparedQuery(RoleQueries.TENANT_ROLES)
                .collecting(Collectors.mapping(RowMappers::role, Collectors.toList()))
                .execute(parameters)))
        .map(SqlResult::value)
        .map(roles -> timed(new JsonObject()
            .put(Fields.TENANT_ID, tenantId)
            .put(Fields.ROLES, new JsonArray(roles)), start));
  }

  /** {@code {entries: [...newest first], next}}: {@code limit} entries (1-500) before the entry id {@code before}. */
  public Future<JsonObject> auditPage(String tenantId, int limit, Long before, String flag, Deadline deadline) {
    Tuple parameters = Tuple.of(UUID.fromString(tenantId), before == null ? Long.MAX_VALUE : before, limit, flag);
    return reads.read(deadline, () -> trace.run(OverrideQueries.AUDIT_PAGE, parameters,
            () -> client.preparedQuery(OverrideQueries.AUDIT_PAGE)
                .collecting(Collectors.mapping(RowMappers::auditEntry, Collectors.toList()))
                .execute(parameters)))
        .map(SqlResult::value)
        .map(entries -> new JsonObject()
            .put(Fields.ENTRIES, new JsonArray(entries))
            .put(Fields.NEXT, entries.size() < limit ? null : entries.get(entries.size() - 1).getLong("id")));
  }

  /**
   * {@code {tenants: [{tenantId, revision, overrides}], next}}: {@code limit} tenants (1-500) after
   * the id {@code after}, of {@code scope} only unless it is null.
   */
  public Future<JsonObject> tenantPage(String after, int limit, List<String> scope, Deadline deadline) {
    UUID[] ids = scope == null ? null : scope.stream().map(UUID::fromString).toArray(UUID[]::new);
    Tuple parameters = Tuple.of(after == null ? null : UUID.fromString(after), ids, limit);
    return reads.read(deadline, () -> trace.run(OverrideQueries.TENANT_PAGE, parameters,
            () -> client.preparedQuery(OverrideQueries.TENANT_PAGE)
                .collecting(Collectors.mapping(row -> new JsonObject()
                    .put(Fields.TENANT_ID, row.getUUID(0).toString())
                    .put(Fields.REVISION, row.getLong(1))
                    .put(Fields.OVERRIDES, row.getLong(2)), Collectors.toList()))
                .execute(parameters)))
        .map(SqlResult::value)
        .map(tenants -> new JsonObject()
            .put(Fields.TENANTS, new JsonArray(tenants))
            .put(Fields.NEXT, tenants.size() < limit ? null : tenants.get(tenants.size() - 1).getString(Fields.TENANT_ID)));
  }

  /**
   * The milliseconds since {@code startNanos} in the reply, for the HTTP side's Server-Timing.
   * Only the replies the HTTP side takes apart carry it (the tenant map and roles); a reply that
   * becomes an HTTP body as it is (writes, audit) must carry no internal field.
   */
  private static JsonObject timed(JsonObject reply, long startNanos) {
    return reply.put(Fields.DB_MS, (System.nanoTime() - startNanos) / 1e6);
  }
}
