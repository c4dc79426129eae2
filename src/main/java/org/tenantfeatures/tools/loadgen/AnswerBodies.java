package org.tenantfeatures.tools.loadgen;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** What an answer states, read leniently: a wrong or malformed body is for the tally to count, never to throw. */
final class AnswerBodies {

  /** A 200 a later request revalidates: its ETag, and the map it stated, decoded once. */
  record Held(String etag, JsonObject map, String body) {
  }

  private AnswerBodies() {
  }

  static Held held(HttpResponse<Buffer> answer, boolean ofrep) {
    JsonObject map;
    try {
      map = map(answer, ofrep);
    } catch (RuntimeException notAnObject) {
      map = null;
    }
    return new Held(answer.getHeader("ETag"), map, answer.bodyAsString());
  }

  /**
   * The tenant's map an answer states: the body itself, or an OFREP bulk answer's flags as
   * {@code {key: value}} (a flag without a boolean value, or twice, makes it no map at all).
   */
  static JsonObject map(HttpResponse<Buffer> response, boolean ofrep) {
    JsonObject body = response.bodyAsJsonObject();
    if (!ofrep || body == null) {
      return body;
    }
    JsonObject map = new JsonObject();
    for (Object item : body.getJsonArray("flags")) {
      JsonObject flag = (JsonObject) item;
      if (!(flag.getValue("value") instanceof Boolean value) || map.containsKey(flag.getString("key"))) {
        return null;
      }
      map.put(flag.getString("key"), value);
    }
    return map;
  }

  static String problemType(HttpResponse<Buffer> response) {
    try {
      JsonObject body = response.bodyAsJsonObject();
      return body != null && body.getValue("type") instanceof String type ? type : "none";
    } catch (RuntimeException notJson) {
      return "none";
    }
  }

  /** Seconds, or -1 when missing or unreadable: a stale answer must say how old it is. */
  static long parseAge(String age) {
    try {
      return age == null ? -1 : Math.max(-1, Long.parseLong(age.trim()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static boolean isProblem(HttpResponse<Buffer> response) {
    String type = response.getHeader("Content-Type");
    return type != null && type.startsWith("application/problem+json");
  }

  /** An OFREP error body's {@code errorCode}, or null when it has none (or is no JSON). */
  static String ofrepErrorCode(HttpResponse<Buffer> response) {
    try {
      JsonObject body = response.bodyAsJsonObject();
      return body != null && body.getValue("errorCode") instanceof String code ? code : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }
}
