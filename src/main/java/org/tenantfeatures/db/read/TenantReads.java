package org.tenantfeatures.db.read;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.stream.Collectors;
import org.tenantfeatures.catalogue.CatalogueCopy;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.TenantMap;
import org.tenantfeatures.db.GuardedReads;
import org.tenantfeatures.db.SqlTrace;
import org.tenantfeatures.db.UnknownFlagException;

/**
 * A tenant's reads: its map and its roles. Each is one prepared statement on the pipelined read
 * client whose whole result set is collected before the answer is built, behind the breaker and
 * the deadline-bounded retries of {@link GuardedReads}, traced by {@link SqlTrace}.
 */
public final class TenantReads {

  private final SqlClient client;
  private final GuardedReads guarded;
  private final SqlTrace trace;
  /**
   * The last catalogue a map read brought. Written when a read completes, read when one starts
   * (on this verticle's event loop, while the rows are collected on the connection's: hence
   * volatile); each read keeps the catalogue whose version it sent, so reads in flight across a
   * change each build their map with the catalogue their own statement saw.
   */
  private volatile CatalogueCopy catalogue = CatalogueCopy.NONE;

  public TenantReads(SqlClient client, GuardedReads guarded, SqlTrace trace) {
    this.client = client;
    this.guarded = guarded;
    this.trace = trace;
  }

  /** Every flag, complete, with the tenant's overrides and revision. */
  public Future<TenantMap> tenantMap(String tenantId, Call call) {
    return read(tenantId, call).map(RowMappers.MapRead::map);
  }

  /** One map read: the map, the catalogue it used and the tenant's inputs; a catalogue the read brought is kept for the next. */
  private Future<RowMappers.MapRead> read(String tenantId, Call call) {
    return guarded.read(call.deadline(), () -> {
          CatalogueCopy held = catalogue;
          Tuple parameters = Tuple.of(UUID.fromString(tenantId), held.versionToSend());
          return trace.run(TenantQueries.TENANT_MAP, parameters,
              () -> client.preparedQuery(TenantQueries.TENANT_MAP)
                  .collecting(RowMappers.tenantMap(tenantId, held))
                  .execute(parameters));
        })
        .map(SqlResult::value)
        .map(read -> {
          if (read.newCatalogue() != null) {
            catalogue = read.newCatalogue();
          }
          return read;
        });
  }

  /**
   * Why the tenant has its value of {@code flag} ({@link CatalogueCopy#explain}), and the audit
   * entry that last changed the deciding input ({@code lastChange: {actor, action, requestId, at}},
   * null if none is logged: a change made by hand in SQL, or none since the flag was made).
   */
  public Future<JsonObject> explain(String tenantId, String flag, Call call) {
    return read(tenantId, call).compose(read -> {
      JsonObject why = read.usedCatalogue().explain(tenantId, flag, read.map().inputs(), read.map().revision());
      if (why == null) {
        return Future.failedFuture(new UnknownFlagException(flag));
      }
      String reason = why.getString("reason");
      Tuple parameters = Tuple.of(UUID.fromString(tenantId), flag, "override".equals(reason), why.getString("segment"),
          !"override".equals(reason));
      return guarded.read(call.deadline(), () -> trace.run(TenantQueries.LAST_CHANGE, parameters,
              () -> client.preparedQuery(TenantQueries.LAST_CHANGE).execute(parameters)))
          .map(rows -> why.put("lastChange", rows.size() == 0 ? null : lastChange(rows.iterator().next())));
    });
  }

  private static JsonObject lastChange(Row row) {
    return new JsonObject().put("actor", row.getString("actor")).put("action", row.getString("action"))
        .put("requestId", row.getString("request_id")).put("at", row.getOffsetDateTime("at").toString());
  }

  /** {@code [{name, description}, ...]} by name. */
  public Future<JsonArray> roles(String tenantId, Call call) {
    Tuple parameters = Tuple.of(UUID.fromString(tenantId));
    return guarded.read(call.deadline(), () -> trace.run(TenantQueries.ROLES, parameters,
            () -> client.preparedQuery(TenantQueries.ROLES)
                .collecting(Collectors.mapping(RowMappers::nameAndDescription, Collectors.toList()))
                .execute(parameters)))
        .map(SqlResult::value)
        .map(JsonArray::new);
  }
}
