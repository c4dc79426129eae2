package org.tenantfeatures.db.read;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.stream.Collectors;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.db.GuardedReads;
import org.tenantfeatures.db.UnknownFlagException;

/**
 * The catalogue's reads, behind the breaker and the deadline-bounded retries. On the write pool:
 * they are rare (an operator's page), and the pipelined read client is kept for tenant maps.
 */
public final class CatalogueReads {

  private final Pool pool;
  private final GuardedReads guarded;

  public CatalogueReads(Pool pool, GuardedReads guarded) {
    this.pool = pool;
    this.guarded = guarded;
  }

  public Future<JsonObject> listFlags(Call call) {
    return guarded.read(call.deadline(), () -> pool.preparedQuery(CatalogueQueries.LIST)
        .collecting(Collectors.mapping(RowMappers::nameAndDescription, Collectors.toList()))
        .execute())
        .map(rows -> new JsonObject().put(Fields.FLAGS, new JsonArray(rows.value())));
  }

  /** {@code {name, description, overrides}}, or {@link UnknownFlagException} (404). */
  public Future<JsonObject> getFlag(String name, Call call) {
    return guarded.read(call.deadline(), () -> pool.preparedQuery(CatalogueQueries.ONE_WITH_OVERRIDES).execute(Tuple.of(name)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new UnknownFlagException(name));
          }
          Row row = rows.iterator().next();
          return Future.succeededFuture(RowMappers.nameAndDescription(row).put(Fields.OVERRIDES, row.getLong("overrides")));
        });
  }
}
