package org.tenantfeatures.db.write;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.tenantfeatures.client.FailureCode;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.db.Refusal;
import org.tenantfeatures.evaluation.Segment;

/** A segment created, replaced or deleted, in one transaction with its audit row (before and after). */
record SegmentWrites(Pool pool) {

  Future<JsonObject> put(Segment segment, String actor, String requestId) {
    JsonObject after = new JsonObject(segment.definition());
    return pool.withTransaction(conn -> conn.preparedQuery(ReleaseQueries.SEGMENT_FOR_UPDATE).execute(Tuple.of(segment.name()))
        .compose(rows -> {
          JsonObject before = rows.size() == 0 ? null : rows.iterator().next().getJsonObject(0);
          return conn.preparedQuery(ReleaseQueries.UPSERT_SEGMENT).execute(Tuple.of(segment.name(), after))
              .compose(v -> conn.preparedQuery(ReleaseQueries.AUDIT_CATALOGUE)
                  .execute(Tuple.of(actor, "segment.put", null, segment.name(), before, after, requestId)))
              .map(new JsonObject(segment.toJson()));
        }));
  }

  /** Refused, naming them, while flags' rules name the segment; their targeting holds it locked meanwhile. */
  Future<JsonObject> delete(String name, String actor, String requestId) {
    return pool.withTransaction(conn -> conn.preparedQuery(ReleaseQueries.SEGMENT_FOR_UPDATE).execute(Tuple.of(name))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Refusal.unknownSegment(name));
          }
          JsonObject before = rows.iterator().next().getJsonObject(0);
          return conn.preparedQuery(ReleaseQueries.FLAGS_USING_SEGMENT).execute(Tuple.of(name)).compose(using -> {
            List<String> flags = new ArrayList<>();
            for (Row row : using) {
              flags.add(row.getString(0));
            }
            if (!flags.isEmpty()) {
              return Future.failedFuture(new Refusal(FailureCode.SEGMENT_IN_USE,
                  "Segment '" + name + "' is used by the rules of: " + String.join(", ", flags) + "."));
            }
            return conn.preparedQuery(ReleaseQueries.DELETE_SEGMENT).execute(Tuple.of(name))
                .compose(v -> conn.preparedQuery(ReleaseQueries.AUDIT_CATALOGUE)
                    .execute(Tuple.of(actor, "segment.delete", null, name, before, null, requestId)))
                .map(new JsonObject().put(Fields.NAME, name));
          });
        }));
  }
}
