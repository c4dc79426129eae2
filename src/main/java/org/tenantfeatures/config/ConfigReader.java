package org.tenantfeatures.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads typed values out of the merged configuration by key path and checks their ranges, so
 * that every invalid value stops start-up with a message naming its key.
 */
final class ConfigReader {

  private final JsonObject root;
  private final String prefix;

  ConfigReader(JsonObject root) {
    this(root, "");
  }

  /** A reader of a nested object, whose messages name keys as {@code prefix + path}. */
  ConfigReader(JsonObject root, String prefix) {
    this.root = root;
    this.prefix = prefix;
  }

  int intIn(String path, int min, int max) {
    Object value = raw(path);
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw invalid(prefix + path, value, "an integer");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw invalid(prefix + path, value, "an integer from " + min + " to " + max);
    }
    return (int) v;
  }

  boolean bool(String path) {
    Object value = raw(path);
    if (!(value instanceof Boolean b)) {
      throw invalid(prefix + path, value, "true or false");
    }
    return b;
  }

  String string(String path) {
    Object value = raw(path);
    if (!(value instanceof String s)) {
      throw invalid(prefix + path, value, "a string");
    }
    return s;
  }

  String nonBlank(String path) {
    String s = string(path);
    if (s.isBlank()) {
      throw invalid(prefix + path, s, "a non-empty string");
    }
    return s;
  }

  JsonArray array(String path) {
    Object value = raw(path);
    if (!(value instanceof JsonArray a)) {
      throw invalid(prefix + path, value, "a JSON array");
    }
    return a;
  }

  private Object raw(String path) {
    Object node = root;
    for (String part : path.split("\\.")) {
      if (!(node instanceof JsonObject obj) || !obj.containsKey(part)) {
        throw new ConfigException("Missing configuration key '" + prefix + path + "'");
      }
      node = obj.getValue(part);
    }
    return node;
  }

  static ConfigException invalid(String path, Object value, String expected) {
    return new ConfigException("Invalid configuration '" + path + "': expected " + expected
        + ", got " + (value instanceof String ? "'" + value + "'" : String.valueOf(value)));
  }
}
