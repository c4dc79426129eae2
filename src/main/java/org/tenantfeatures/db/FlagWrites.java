package org.tenantfeatures.db;

import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.stream.Collectors;
import org.tenantfeatures.bus.FeatureBus.Fields;

/** The flag catalogue: list, create, describe, delete; each write one transaction with its audit row. */
final class FlagWrites {

  /** A flag of that name exists already. */
  static final class FlagExistsException extends VertxException {
    FlagExistsException(String flag) {
      super("flag '" + flag + "' exists", true);
    }
  }

  private final Pool pool;

  FlagWrites(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> list() {
    return pool.preparedQuery(FlagQueries.LIST)
        .collecting(Collectors.mapping(RowMappers::flag, Collectors.toList()))
        .execute()
        .map(rows -> new JsonObject().put(Fields.FLAGS, new JsonArray(rows.value())));
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

  Future<JsonObject> delete(String name, String actor, String requestId) {
    return pool.withTransaction(conn -> conn.preparedQuery(FlagQueries.DELETE).execute(Tuple.of(name))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new OverrideWrites.UnknownFlagException(name))
            : audit(conn, actor, "flag.delete", name, requestId).map(new JsonObject().put(Fields.NAME, name))));
  }

  private static Future<Void> audit(SqlConnection conn, String actor, String action, String flag, String requestId) {
    return conn.preparedQuery(FlagQueries.AUDIT).execute(Tuple.of(actor, action, flag, requestId)).mapEmpty();
  }
}
