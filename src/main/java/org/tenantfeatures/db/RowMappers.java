package org.tenantfeatures.db;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      final List<Map.Entry<String, Object>> rows = new ArrayList<>();
      final List<String> overridden = new ArrayList<>();
      long revision;

      // By position (FeatureQueries.TENANT_FEATURE_MAP's select list): a lookup by name scanned
      // the column names for every value of every row, 4 % of an uncached read's CPU. Names are
      // interned here: every tenant's map has the same ones, and a cached map then keeps the
      // catalogue's strings, not its own copies (a third of a cached tenant's heap, 8.2 KB a
      // tenant with 57 flags, jcmd GC.class_histogram over 10,000 cached tenants). The event
      // bus's local copy keeps the same strings.
      void add(Row row) {
        String name = row.getString(FeatureQueries.NAME).intern();
        rows.add(Map.entry(name, row.getBoolean(FeatureQueries.ENABLED)));
        if (row.getBoolean(FeatureQueries.OVERRIDDEN)) {
          overridden.add(name);
        }
        revision = row.getLong(FeatureQueries.REVISION);
      }

      // Sorted here rather than by the statement: an ORDER BY cost PostgreSQL a sort per read, 15 %
      // of the statement's throughput under pgbench; the answer's keys stay in name order (one
      // body, one ETag, for one map on every node). One sort and one LinkedHashMap (the only kind
      // of map whose order the event bus's JsonObject.copy keeps): a TreeMap copied into it was
      // 9 % of an uncached read's samples.
      TenantRows finish() {
        rows.sort(Map.Entry.comparingByKey());
        Map<String, Object> features = new LinkedHashMap<>(rows.size() * 4 / 3 + 1);
        String previous = null;
        for (Map.Entry<String, Object> row : rows) {
          if (row.getKey().equals(previous)) {
            throw new IllegalStateException("duplicate flag name in one tenant map");
          }
          features.put(row.getKey(), row.getValue());
          previous = row.getKey();
        }
        return new TenantRows(features, overridden, revision);
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
