package org.tenantfeatures.db.read;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collector;
import org.tenantfeatures.catalogue.CatalogueCopy;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.TenantInputs;
import org.tenantfeatures.client.TenantMap;

/**
 * Collectors and mappers from rows to bus payloads. The client feeds every row of the result
 * set to the collector and completes the query only after the last one, so a map is built from
 * the complete result or not at all: the silent {@code {}} of the incident cannot come from here.
 */
public final class RowMappers {

  private RowMappers() {
  }

  /**
   * A map read's outcome: the tenant's map, the catalogue it was built with ({@code newCatalogue}
   * if the read brought a new one, else null), and the tenant's inputs it was evaluated from.
   */
  record MapRead(TenantMap map, CatalogueCopy newCatalogue, CatalogueCopy usedCatalogue) {
  }

  /**
   * Collects the whole result set of {@link TenantQueries#TENANT_MAP} sent with {@code held}'s
   * version, and builds the map with the catalogue the statement saw: {@code held} if the version
   * it returned is {@code held}'s, else the flags and segments it returned with its version (an
   * empty catalogue is a catalogue too). A result without its revision row is a broken invariant.
   */
  static Collector<Row, ?, MapRead> tenantMap(String tenantId, CatalogueCopy held) {
    final class Accumulator {
      long[] ids = new long[64];
      boolean[] enabled = new boolean[64];
      int overrides;
      final List<CatalogueCopy.FlagRow> flags = new ArrayList<>();
      final List<CatalogueCopy.SegmentRow> segments = new ArrayList<>();
      boolean revisionRow;
      long revision;
      UUID version;
      JsonObject attributes;

      // By position (TenantQueries.TENANT_MAP's select list): a lookup by name scanned the column
      // names for every value of every row, on the uncached path.
      void add(Row row) {
        String name = row.getString(TenantQueries.NAME);
        if (name != null) {
          Long id = row.getLong(TenantQueries.ID);
          if (id != null) {
            flags.add(new CatalogueCopy.FlagRow(id, name, row.getJsonObject(TenantQueries.DETAIL)));
          } else {
            segments.add(new CatalogueCopy.SegmentRow(name, row.getJsonObject(TenantQueries.DETAIL)));
          }
        } else if (row.getValue(TenantQueries.ID) != null) {
          if (overrides == ids.length) {
            ids = Arrays.copyOf(ids, overrides * 2);
            enabled = Arrays.copyOf(enabled, overrides * 2);
          }
          ids[overrides] = row.getLong(TenantQueries.ID);
          enabled[overrides++] = row.getBoolean(TenantQueries.ENABLED);
        } else {
          revisionRow = true;
          revision = row.getLong(TenantQueries.REVISION);
          version = row.getUUID(TenantQueries.VERSION);
          attributes = row.getJsonObject(TenantQueries.DETAIL);
        }
      }

      MapRead finish() {
        if (!revisionRow) {
          throw new IllegalStateException("tenant map read without its revision row");
        }
        TenantInputs inputs = new TenantInputs(Arrays.copyOf(ids, overrides), Arrays.copyOf(enabled, overrides), attributes);
        if (version != null && version.equals(held.version())) {
          return new MapRead(held.map(tenantId, inputs, revision), null, held);
        }
        CatalogueCopy sent = CatalogueCopy.of(version, flags, segments);
        return new MapRead(sent.map(tenantId, inputs, revision), sent, sent);
      }
    }
    return Collector.of(Accumulator::new, Accumulator::add, (a, b) -> {
      throw new IllegalStateException("rows are collected in order, never in parallel");
    }, Accumulator::finish);
  }

  static JsonObject auditEntry(Row row) {
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("actor", row.getString("actor"))
        .put("action", row.getString("action"))
        .put("flag", row.getString("flag"))
        .put("segment", row.getString("segment"))
        .put("before", row.getBoolean("before"))
        .put("after", row.getBoolean("after"))
        .put("beforeJson", row.getJsonObject("before_json"))
        .put("afterJson", row.getJsonObject("after_json"))
        .put("revision", row.getLong("revision"))
        .put("requestId", row.getString("request_id"))
        .put("at", row.getOffsetDateTime("at").toString());
  }

  /** A flag's or a role's {@code {name, description}}. */
  public static JsonObject nameAndDescription(Row row) {
    return new JsonObject()
        .put(Fields.NAME, row.getString("name"))
        .put(Fields.DESCRIPTION, row.getString("description"));
  }
}
