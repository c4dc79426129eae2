package org.tenantfeatures.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON object as plain Java maps and lists all the way down, as the evaluator's definitions
 * ({@code evaluation.Targeting}, {@code Segment}, {@code Attributes}) read them: a
 * {@link JsonObject}'s own map holds {@code JsonObject}s and {@code JsonArray}s wherever it was
 * built with them. Walked by hand rather than through Jackson's {@code convertValue}, which cost
 * the uncached map read several microseconds for a tenant's attributes.
 */
public final class PlainJson {

  private PlainJson() {
  }

  public static Map<String, Object> of(JsonObject json) {
    Map<String, Object> plain = new LinkedHashMap<>(json.size() * 4 / 3 + 1);
    json.getMap().forEach((key, value) -> plain.put(key, plain(value)));
    return plain;
  }

  private static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      return of(object);
    }
    if (value instanceof Map<?, ?> map) {
      return of(new JsonObject(castMap(map)));
    }
    if (value instanceof JsonArray array) {
      return plainList(array.getList());
    }
    if (value instanceof List<?> list) {
      return plainList(list);
    }
    return value;
  }

  private static List<Object> plainList(List<?> list) {
    List<Object> plain = new ArrayList<>(list.size());
    list.forEach(item -> plain.add(plain(item)));
    return plain;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }
}
