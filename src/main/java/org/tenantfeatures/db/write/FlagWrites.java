package org.tenantfeatures.db.write;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.FlagChange;
import org.tenantfeatures.db.FlagExistsException;
import org.tenantfeatures.db.UnknownFlagException;
import org.tenantfeatures.db.read.RowMappers;

/** The catalogue's changes: create, describe, delete; each one transaction with its audit rows. */
record FlagWrites(Pool pool) {


  /** The change, with its audit row, in one transaction. */
  Future<JsonObject> write(FlagChange change, String name, String description, String actor, String requestId) {
    return switch (change) {
      case CREATE -> create(name, description, actor, requestId);
      case DESCRIBE -> describe(name, description, actor, requestId);
      case DELETE -> delete(name, actor, requestId);
    };
  }

  private Future<JsonObject> create(String name, String description, String actor, String requestId) {
    return pool.withTransaction(conn -> conn.preparedQuery(FlagQueries.CREATE).execute(Tuple.of(name, description))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new FlagExistsException(name))
            : audit(conn, actor, FlagChange.CREATE, name, requestId).map(RowMappers.nameAndDescription(rows.iterator().next()))));
  }

  private Future<JsonObject> describe(String name, String description, String actor, String requestId) {
    return pool.withTransaction(conn -> conn.preparedQuery(FlagQueries.DESCRIPTION_FOR_UPDATE).execute(Tuple.of(name))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new UnknownFlagException(name))
            : conn.preparedQuery(FlagQueries.UPDATE_DESCRIPTION).execute(Tuple.of(name, description))
                .compose(v -> audit(conn, actor, FlagChange.DESCRIBE, name, requestId))
                .map(new JsonObject().put(Fields.NAME, name).put(Fields.DESCRIPTION, description))));
  }

  /** The flag, every tenant's override of it with an audit row in that tenant's log, and its own audit row. */
  private Future<JsonObject> delete(String name, String actor, String requestId) {
    return pool.withTransaction(conn -> conn.preparedQuery(FlagQueries.LOCK).execute(Tuple.of(name))
        .compose(ids -> ids.size() == 0 ? Future.failedFuture(new UnknownFlagException(name))
            : conn.preparedQuery(FlagQueries.REMOVE_OVERRIDES).execute(Tuple.of(ids.iterator().next().getLong(0)))
                .compose(removed -> auditRemovedOverrides(conn, removed, name, actor, requestId))
                .compose(v -> conn.preparedQuery(FlagQueries.DELETE).execute(Tuple.of(name)))
                .compose(v -> audit(conn, actor, FlagChange.DELETE, name, requestId))
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

  /** The change's audit row, its action {@code flag.<change>}. */
  private static Future<Void> audit(SqlConnection conn, String actor, FlagChange change, String flag, String requestId) {
    return conn.preparedQuery(FlagQueries.AUDIT).execute(Tuple.of(actor, "flag." + change.wire(), flag, requestId)).mapEmpty();
  }
}
