package org.tenantfeatures.db.read;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.stream.Collectors;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.TenantMap;
import org.tenantfeatures.db.GuardedReads;
import org.tenantfeatures.db.SqlTrace;

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
          return read.map();
        });
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
