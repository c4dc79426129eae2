package org.tenantfeatures.db;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collector;
import org.tenantfeatures.client.FeatureBus.Fields;

/**
 * Collectors and mappers from rows to bus payloads. The client feeds every row of the result
 * set to the collector and completes the query only after the last one, so a map is built from
 * the complete result or not at all: the silent {@code {}} of the incident cannot come from here.
 */
final class RowMappers {

  private RowMappers() {
  }

  /** A tenant's complete map (name → enabled, in name order), the flags it overrides, and its revision. */
  record TenantRows(Map<String, Object> features, List<String> overridden, long revision) {
  }

  /** Collects the whole result set; a duplicate name is a broken invariant, not data. */
  static Collector<Row, ?, TenantRows> featureMap() {
    final class Accumulator {
      // Sorted here rather than by the statement: an ORDER BY cost PostgreSQL a sort per read, 15 %
      // of the statement's throughput under pgbench; the answer's keys stay in name order (one
      // body, one ETag, for one map on every node). Handed on as a LinkedHashMap: the event bus's
      // JsonObject.copy keeps the order of that kind of map only.
      final Map<String, Object> features = new TreeMap<>();
      final List<String> overridden = new ArrayList<>();
      long revision;

      // By position (FeatureQueries.TENANT_FEATURE_MAP's select list): a lookup by name scanned
      // the column names for every value of every row, 4 % of an uncached read's CPU.
      void add(Row row) {
        String name = row.getString(FeatureQueries.NAME);
        if (features.put(name, row.getBoolean(FeatureQueries.ENABLED)) != null) {
          throw new IllegalStateException("duplicate flag name in one tenant map");
        }
        if (row.getBoolean(FeatureQueries.OVERRIDDEN)) {
          overridden.add(name);
        }
        revision = row.getLong(FeatureQueries.REVISION);
      }
    }
    return Collector.of(Accumulator::new, Accumulator::add, (a, b) -> {
      throw new IllegalStateException("rows are collected in order, never in parallel");
    }, a -> new TenantRows(new LinkedHashMap<>(a.features), a.overridden, a.revision));
  }

  static JsonObject auditEntry(Row row) {
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("actor", row.getString("actor"))
        .put("action", row.getString("action"))
        .put("flag", row.getString("flag"))
        .put("before", row.getBoolean("before"))
        .put("after", row.getBoolean("after"))
        .put("revision", row.getLong("revision"))
        .put("requestId", row.getString("request_id"))
        .put("at", row.getOffsetDateTime("at").toString());
  }

  static JsonObject flag(Row row) {
    return new JsonObject()
        .put(Fields.NAME, row.getString("name"))
        .put(Fields.DESCRIPTION, row.getString("description"));
  }

  static JsonObject role(Row row) {
    return new JsonObject()
        .put(Fields.NAME, row.getString("name"))
        .put(Fields.DESCRIPTION, row.getString("description"));
  }
}
