package org.tenantfeatures.client;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A JSON object as plain Java maps and lists all the way down, as the evaluator's definitions
 * ({@code evaluation.Targeting}, {@code Segment}, {@code Attributes}) read them: a
 * {@link JsonObject}'s own map holds {@code JsonObject}s and {@code JsonArray}s wherever it was
 * built with them.
 */
public final class PlainJson {

  private PlainJson() {
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> of(JsonObject json) {
    return json.mapTo(Map.class);
  }
}
