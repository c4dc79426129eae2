package org.tenantfeatures.db;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import org.tenantfeatures.bus.FeatureBus.Fields;

/**
 * Collectors and mappers from rows to bus payloads. The client feeds every row of the result
 * set to the collector and completes the query only after the last one, so a map is built from
 * the complete result or not at all: the silent {@code {}} of the incident cannot come from here.
 */
final class RowMappers {

  private RowMappers() {
  }

  /** name → enabled, in the statement's order. A duplicate name is a broken invariant, not data. */
  static Collector<Row, ?, Map<String, Object>> featureMap() {
    return Collectors.toMap(
        row -> row.getString("name"),
        row -> row.getBoolean("enabled"),
        (a, b) -> {
          throw new IllegalStateException("duplicate flag name in one tenant map");
        },
        LinkedHashMap::new);
  }

  static JsonObject role(Row row) {
    return new JsonObject()
        .put(Fields.NAME, row.getString("name"))
        .put(Fields.DESCRIPTION, row.getString("description"));
  }
}
