package org.tenantfeatures.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.stream.Collectors;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.Catalogue;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.FlagChange;
import org.tenantfeatures.client.PlainJson;
import org.tenantfeatures.db.read.CatalogueReads;
import org.tenantfeatures.db.read.Populations;
import org.tenantfeatures.db.read.RowMappers;
import org.tenantfeatures.db.write.Writes;
import org.tenantfeatures.evaluation.Segment;
import org.tenantfeatures.evaluation.Targeting;

/**
 * {@link Catalogue} in SQL. The reads go behind the breaker with bounded retries, on the write
 * pool: they are rare (an operator's page), and the pipelined read client is kept for tenant
 * maps. The changes are {@link Writes}', a transaction each.
 */
record SqlCatalogue(Pool pool, GuardedReads guarded, Writes writes, Populations populations, CatalogueReads reads) implements Catalogue {

  @Override
  public Future<JsonObject> catalogue(Call call) {
    return reads.catalogue(call);
  }

  @Override
  public Future<JsonObject> listFlags(Call call) {
    return guarded.read(call.deadline(), () -> pool.preparedQuery(CatalogueQueries.LIST)
            .collecting(Collectors.mapping(RowMappers::nameAndDescription, Collectors.toList()))
            .execute())
        .map(rows -> new JsonObject().put(Fields.FLAGS, new JsonArray(rows.value())));
  }

  /** {@code {name, description, overrides, targeting}}, or {@link UnknownFlagException} (404). */
  @Override
  public Future<JsonObject> getFlag(String name, Call call) {
    return guarded.read(call.deadline(), () -> pool.preparedQuery(CatalogueQueries.ONE_WITH_OVERRIDES).execute(Tuple.of(name)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new UnknownFlagException(name));
          }
          Row row = rows.iterator().next();
          JsonObject targeting = row.getJsonObject("targeting");
          return Future.succeededFuture(RowMappers.nameAndDescription(row).put(Fields.OVERRIDES, row.getLong("overrides"))
              .put(Fields.TARGETING, targeting == null ? new JsonObject(Targeting.NONE.toJson()) : targeting));
        });
  }

  @Override
  public Future<JsonObject> writeFlag(FlagChange change, String name, String description, String actor, Call call) {
    return writes.writeFlag(change, name, description, actor, call);
  }

  /** The targeting is checked again here ({@link Targeting#of}): a sender on the bus may not have. */
  @Override
  public Future<JsonObject> setTargeting(String flag, JsonObject targeting, String actor, Call call) {
    return writes.setTargeting(flag, Targeting.of(PlainJson.of(targeting)), actor, call);
  }

  @Override
  public Future<JsonObject> population(String flag, Boolean value, String reason, String after, int limit, Call call) {
    return populations.population(flag, value, reason, after, limit, call);
  }

  /** The targeting is checked here ({@link Targeting#of}): a sender on the bus may not have. */
  @Override
  public Future<JsonObject> previewTargeting(String flag, JsonObject targeting, int limit, Call call) {
    return populations.preview(flag, Targeting.of(PlainJson.of(targeting)), limit, call);
  }

  @Override
  public Future<JsonObject> listSegments(Call call) {
    return guarded.read(call.deadline(), () -> pool.preparedQuery(CatalogueQueries.SEGMENTS).execute())
        .map(rows -> {
          JsonArray segments = new JsonArray();
          for (Row row : rows) {
            JsonObject definition = row.getJsonObject(1);
            segments.add(new JsonObject().put(Fields.NAME, row.getString(0))
                .put(Fields.DESCRIPTION, definition.getString(Fields.DESCRIPTION))
                .put("match", definition.getString("match"))
                .put("conditions", definition.getJsonArray("conditions", new JsonArray()).size())
                .put(Fields.TENANTS, definition.getJsonArray(Fields.TENANTS, new JsonArray()).size()));
          }
          return new JsonObject().put(Fields.SEGMENTS, segments);
        });
  }

  @Override
  public Future<JsonObject> getSegment(String name, Call call) {
    return guarded.read(call.deadline(), () -> pool.preparedQuery(CatalogueQueries.SEGMENT_WITH_FLAGS).execute(Tuple.of(name)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Refusal.unknownSegment(name));
          }
          Row row = rows.iterator().next();
          return Future.succeededFuture(new JsonObject().put(Fields.NAME, name).mergeIn(row.getJsonObject(0))
              .put(Fields.FLAGS, new JsonArray(List.of(row.getArrayOfStrings(1)))));
        });
  }

  /** The definition is checked again here ({@link Segment#of}): a sender on the bus may not have. */
  @Override
  public Future<JsonObject> putSegment(String name, JsonObject definition, String actor, Call call) {
    return writes.putSegment(Segment.of(name, PlainJson.of(definition)), actor, call);
  }

  @Override
  public Future<JsonObject> deleteSegment(String name, String actor, Call call) {
    return writes.deleteSegment(name, actor, call);
  }
}
