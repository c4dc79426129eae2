package org.tenantfeatures.db.write;

import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.db.read.RowMappers;

/** The flag catalogue: list, create, describe, delete; each write one transaction with its audit row. */
public final class FlagWrites {

  /** A flag of that name exists already. */
  public static final class FlagExistsException extends VertxException {
    FlagExistsException(String flag) {
      super("flag '" + flag + "' exists", true);
    }
  }

  private final Pool pool;

  FlagWrites(Pool pool) {
    this.pool = pool;
  }

  public Future<JsonObject> list() {
    return pool.preparedQuery(FlagQueries.LIST)
        .collecting(Collectors.mapping(RowMappers::flag, Collectors.toList()))
        .execute()
        .map(rows -> new JsonObject().put(Fields.FLAGS, new JsonArray(rows.value())));
  }

  /** {@code {name, description, overrides}}, or {@link OverrideWrites.UnknownFlagException} (404). */
  public Future<JsonObject> one(String name) {
    return pool.preparedQuery(FlagQueries.ONE_WITH_OVERRIDES).execute(Tuple.of(name))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new OverrideWrites.UnknownFlagException(name));
          }
          Row row = rows.iterator().next();
          return Future.succeededFuture(RowMappers.flag(row).put(Fields.OVERRIDES, row.getLong("overrides")));
        });
  }

  Future<JsonObject> create(String name, String description, String actor, String requestId) {
    return pool.withTransaction(conn -> conn.preparedQuery(FlagQueries.CREATE).execute(Tuple.of(name, description))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new FlagExistsException(name))
            : audit(conn, actor, "flag.create", name, requestId).map(RowMappers.flag(rows.iterator().next()))));
  }

  Future<JsonObject> describe(String name, String description, String actor, String requestId) {
    return pool.withTransaction(conn -> conn.preparedQuery(FlagQueries.DESCRIPTION_FOR_UPDATE).execute(Tuple.of(name))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new OverrideWrites.UnknownFlagException(name))
            : conn.preparedQuery(FlagQueries.UPDATE_DESCRIPTION).execute(Tuple.of(name, description))
                .compose(v -> audit(conn, actor, "flag.describe", name, requestId))
                .map(new JsonObject().put(Fields.NAME, name).put(Fields.DESCRIPTION, description))));
  }

  /** The flag, every tenant's override of it with an audit row in that tenant's log, and its own audit row. */
  Future<JsonObject> delete(String name, String actor, String requestId) {
    return pool.withTransaction(conn -> conn.preparedQuery(FlagQueries.LOCK).execute(Tuple.of(name))
        .compose(ids -> ids.size() == 0 ? Future.failedFuture(new OverrideWrites.UnknownFlagException(name))
            : conn.preparedQuery(FlagQueries.REMOVE_OVERRIDES).execute(Tuple.of(ids.iterator().next().getLong(0)))
                .compose(removed -> auditRemovedOverrides(conn, removed, name, actor, requestId))
                .compose(v -> conn.preparedQuery(FlagQueries.DELETE).execute(Tuple.of(name)))
                .compose(v -> audit(conn, actor, "flag.delete", name, requestId))
                .map(new JsonObject().put(Fields.NAME, name))));
  }

  private static Future<Void> auditRemovedOverrides(SqlConnection conn, RowSet<Row> removed, String flag, String actor,
                                                    String requestId) {
    if (removed.size() == 0) {
      return Future.succeededFuture();
    }
    List<UUID> tenants = new ArrayList<>(removed.size());
    List<Boolean> before = new ArrayList<>(removed.size());
    removed.forEach(row -> {
      tenants.add(row.getUUID(0));
      before.add(row.getBoolean(1));
    });
    return conn.preparedQuery(FlagQueries.AUDIT_REMOVED_OVERRIDES)
        .execute(Tuple.of(tenants.toArray(UUID[]::new), before.toArray(Boolean[]::new), actor, flag, requestId))
        .mapEmpty();
  }

  private static Future<Void> audit(SqlConnection conn, String actor, String action, String flag, String requestId) {
    return conn.preparedQuery(FlagQueries.AUDIT).execute(Tuple.of(actor, action, flag, requestId)).mapEmpty();
  }
}
