package org.tenantfeatures.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.stream.Collectors;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.Catalogue;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.FlagChange;
import org.tenantfeatures.db.read.RowMappers;
import org.tenantfeatures.db.write.Writes;

/**
 * {@link Catalogue} in SQL. The reads go behind the breaker with bounded retries, on the write
 * pool: they are rare (an operator's page), and the pipelined read client is kept for tenant
 * maps. The changes are {@link Writes}', a transaction each.
 */
record SqlCatalogue(Pool pool, GuardedReads guarded, Writes writes) implements Catalogue {

  @Override
  public Future<JsonObject> listFlags(Call call) {
    return guarded.read(call.deadline(), () -> pool.preparedQuery(CatalogueQueries.LIST)
            .collecting(Collectors.mapping(RowMappers::nameAndDescription, Collectors.toList()))
            .execute())
        .map(rows -> new JsonObject().put(Fields.FLAGS, new JsonArray(rows.value())));
  }

  /** {@code {name, description, overrides}}, or {@link UnknownFlagException} (404). */
  @Override
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

  @Override
  public Future<JsonObject> writeFlag(FlagChange change, String name, String description, String actor, Call call) {
    return writes.writeFlag(change, name, description, actor, call);
  }
}
