package org.tenantfeatures.db.read;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collector;
import org.tenantfeatures.catalogue.CatalogueCopy;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.db.GuardedReads;
import org.tenantfeatures.db.Refusal;
import org.tenantfeatures.db.UnknownFlagException;
import org.tenantfeatures.evaluation.Attributes;
import org.tenantfeatures.evaluation.Evaluator;
import org.tenantfeatures.evaluation.Reason;
import org.tenantfeatures.evaluation.Targeting;

/**
 * Who has a flag, and what a targeting change would do: every known tenant evaluated for the flag
 * from one snapshot of the catalogue and of the tenants' inputs (a read-only, repeatable-read
 * transaction on the write pool: an operator's rare question, kept off the map reads' client).
 * The tenants stream through a collector that keeps the counts and one page, never the whole
 * population.
 */
public record Populations(Pool pool, GuardedReads guarded) {

  /** What a population read saw: the catalogue, and the flag's position in it. */
  private record Snapshot(CatalogueCopy catalogue, int position) {
  }

  /**
   * {@code {flag, known, counts: {"true": {override, segment, rollout, default}, "false": {...}},
   * tenants: [{tenantId, name, value, reason}], next}}: the page holds the tenants after
   * {@code after} with {@code value} and {@code reason} (each null: any).
   */
  public Future<JsonObject> population(String flag, Boolean value, String reason, String after, int limit, Call call) {
    return guarded.read(call.deadline(), () -> pool.withTransaction(conn -> catalogueRows(conn)
            .compose(rows -> snapshot(rows, flag, null))
            .compose(snapshot -> conn.preparedQuery(PopulationQueries.KNOWN_TENANTS)
                .collecting(counting(snapshot, value, reason, after == null ? null : UUID.fromString(after), limit))
                .execute(Tuple.of(flag))
                .map(SqlResult::value))))
        .map(answer -> answer.put(Fields.FLAG, flag));
  }

  /**
   * {@code {flag, known, changes, toTrue, toFalse, tenants: [{tenantId, name, before, after}]}}:
   * the tenants whose value {@code targeting} would change, the first {@code limit} of them listed;
   * nothing is written. A rule naming a missing segment is refused as the change itself would be.
   */
  public Future<JsonObject> preview(String flag, Targeting targeting, int limit, Call call) {
    return guarded.read(call.deadline(), () -> pool.withTransaction(conn -> catalogueRows(conn)
            .compose(rows -> snapshot(rows, flag, null).compose(now -> snapshot(rows, flag, targeting)
                .compose(then -> conn.preparedQuery(PopulationQueries.KNOWN_TENANTS)
                    .collecting(changing(now, then, limit))
                    .execute(Tuple.of(flag))
                    .map(SqlResult::value))))))
        .map(answer -> answer.put(Fields.FLAG, flag));
  }

  /**
   * Makes the transaction one snapshot (repeatable read; its first statement, as PostgreSQL
   * requires), read-only, and reads the catalogue in it.
   */
  private static Future<RowSet<Row>> catalogueRows(SqlConnection conn) {
    return conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
        .compose(v -> conn.query(PopulationQueries.CATALOGUE).execute());
  }

  /** The catalogue of {@code rows}, with the flag's targeting replaced by {@code proposed} unless null. */
  private static Future<Snapshot> snapshot(RowSet<Row> rows, String flag, Targeting proposed) {
    CatalogueReads.Parts parts = CatalogueReads.parts(rows);
    List<CatalogueCopy.FlagRow> flags = parts.flags();
    if (proposed != null) {
      Set<String> present = new HashSet<>();
      parts.segments().forEach(segment -> present.add(segment.name()));
      Optional<Refusal> missing = Refusal.missingSegments(proposed.segments(), present);
      if (missing.isPresent()) {
        return Future.failedFuture(missing.get());
      }
      flags = flags.stream().map(row -> row.name().equals(flag)
          ? new CatalogueCopy.FlagRow(row.id(), row.name(), new JsonObject(proposed.toJson())) : row).toList();
    }
    CatalogueCopy catalogue = CatalogueCopy.of(parts.version(), flags, parts.segments());
    int position = catalogue.evaluator().position(flag);
    return position < 0 ? Future.failedFuture(new UnknownFlagException(flag)) : Future.succeededFuture(new Snapshot(catalogue, position));
  }

  /** The flag's decision for the tenant of {@code row}, whose attributes are read once by the caller. */
  private static Evaluator.Decision decide(Snapshot snapshot, Row row, Attributes attributes) {
    return snapshot.catalogue().evaluator().explain(snapshot.position(), row.getUUID(0).toString(), attributes, row.getBoolean(3));
  }

  private static Attributes attributes(Row row) {
    return CatalogueCopy.attributes(row.getJsonObject(2));
  }

  private static Collector<Row, ?, JsonObject> counting(Snapshot snapshot, Boolean value, String reason, UUID after, int limit) {
    final class Tally {
      final long[][] counts = new long[2][Reason.values().length];
      final JsonArray page = new JsonArray();
      String next;
      long known;

      void add(Row row) {
        known++;
        Evaluator.Decision decision = decide(snapshot, row, attributes(row));
        counts[decision.value() ? 1 : 0][decision.reason().ordinal()]++;
        UUID id = row.getUUID(0);
        boolean wanted = (value == null || value == decision.value()) && (reason == null || reason.equals(decision.reason().wire()))
            && (after == null || id.compareTo(after) > 0);
        if (!wanted || next != null) {
          return;
        }
        if (page.size() == limit) {
          // One more beyond the page: there is a next page, starting after its last entry.
          next = page.getJsonObject(limit - 1).getString(Fields.TENANT_ID);
          return;
        }
        page.add(new JsonObject().put(Fields.TENANT_ID, id.toString()).put(Fields.NAME, row.getString(1))
            .put("value", decision.value()).put("reason", decision.reason().wire()));
      }

      JsonObject finish() {
        JsonObject byValue = new JsonObject();
        for (int v = 0; v < 2; v++) {
          JsonObject byReason = new JsonObject();
          for (Reason r : Reason.values()) {
            byReason.put(r.wire(), counts[v][r.ordinal()]);
          }
          byValue.put(v == 1 ? "true" : "false", byReason);
        }
        return new JsonObject().put("known", known).put("counts", byValue).put(Fields.TENANTS, page).put(Fields.NEXT, next);
      }
    }
    return Collector.of(Tally::new, Tally::add, (a, b) -> {
      throw new IllegalStateException("rows are collected in order, never in parallel");
    }, Tally::finish);
  }

  private static Collector<Row, ?, JsonObject> changing(Snapshot now, Snapshot then, int limit) {
    final class Changes {
      final JsonArray listed = new JsonArray();
      long known;
      long toTrue;
      long toFalse;

      void add(Row row) {
        known++;
        Attributes attributes = attributes(row);
        boolean before = decide(now, row, attributes).value();
        boolean after = decide(then, row, attributes).value();
        if (before == after) {
          return;
        }
        if (after) {
          toTrue++;
        } else {
          toFalse++;
        }
        if (listed.size() < limit) {
          listed.add(new JsonObject().put(Fields.TENANT_ID, row.getUUID(0).toString()).put(Fields.NAME, row.getString(1))
              .put("before", before).put("after", after));
        }
      }

      JsonObject finish() {
        return new JsonObject().put("known", known).put("changes", toTrue + toFalse).put("toTrue", toTrue).put("toFalse", toFalse)
            .put(Fields.TENANTS, listed);
      }
    }
    return Collector.of(Changes::new, Changes::add, (a, b) -> {
      throw new IllegalStateException("rows are collected in order, never in parallel");
    }, Changes::finish);
  }
}
