package org.tenantfeatures.db.write;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.db.Refusal;
import org.tenantfeatures.db.UnknownFlagException;
import org.tenantfeatures.evaluation.Targeting;

/** A flag's targeting replaced, in one transaction with its audit row (before and after). */
record TargetingWrites(Pool pool) {

  Future<JsonObject> set(String flag, Targeting targeting, String actor, String requestId) {
    JsonObject after = new JsonObject(targeting.toJson());
    List<String> named = targeting.segments();
    return pool.withTransaction(conn -> conn.preparedQuery(ReleaseQueries.TARGETING_FOR_UPDATE).execute(Tuple.of(flag))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new UnknownFlagException(flag));
          }
          JsonObject before = rows.iterator().next().getJsonObject(0);
          return conn.preparedQuery(ReleaseQueries.SEGMENTS_FOR_SHARE).execute(Tuple.of(named.toArray(String[]::new)))
              .compose(found -> {
                Set<String> present = new HashSet<>();
                for (Row row : found) {
                  present.add(row.getString(0));
                }
                Optional<Refusal> missing = Refusal.missingSegments(named, present);
                if (missing.isPresent()) {
                  return Future.failedFuture(missing.get());
                }
                return conn.preparedQuery(ReleaseQueries.SET_TARGETING).execute(Tuple.of(flag, after))
                    .compose(v -> conn.preparedQuery(ReleaseQueries.AUDIT_CATALOGUE)
                        .execute(Tuple.of(actor, "flag.targeting", flag, null, before, after, requestId)))
                    .map(new JsonObject().put(Fields.NAME, flag).put(Fields.TARGETING, after));
              });
        }));
  }
}
