package org.tenantfeatures.db.read;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.tenantfeatures.catalogue.CatalogueCopy;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.db.GuardedReads;
import org.tenantfeatures.db.SqlTrace;

/**
 * The whole catalogue (version, flags with their targeting, segments) in one statement, so one
 * snapshot: what a node reads once after a change of the catalogue, to evaluate its cached
 * tenants again, instead of reading each of them.
 */
public record CatalogueReads(SqlClient client, GuardedReads guarded, SqlTrace trace) {

  public Future<JsonObject> catalogue(Call call) {
    return guarded.read(call.deadline(), () -> trace.run(PopulationQueries.CATALOGUE, null,
            () -> client.query(PopulationQueries.CATALOGUE).execute()))
        .map(rows -> {
          Parts parts = parts(rows);
          return CatalogueCopy.toJson(parts.version(), parts.flags(), parts.segments());
        });
  }

  /** The rows of {@link PopulationQueries#CATALOGUE}, told apart. */
  record Parts(UUID version, List<CatalogueCopy.FlagRow> flags, List<CatalogueCopy.SegmentRow> segments) {
  }

  static Parts parts(Iterable<Row> rows) {
    UUID version = null;
    List<CatalogueCopy.FlagRow> flags = new ArrayList<>();
    List<CatalogueCopy.SegmentRow> segments = new ArrayList<>();
    for (Row row : rows) {
      String name = row.getString(1);
      if (name == null) {
        version = row.getUUID(2);
      } else if (row.getLong(0) == null) {
        segments.add(new CatalogueCopy.SegmentRow(name, row.getJsonObject(3)));
      } else {
        flags.add(new CatalogueCopy.FlagRow(row.getLong(0), name, row.getJsonObject(3)));
      }
    }
    return new Parts(version, flags, segments);
  }
}
