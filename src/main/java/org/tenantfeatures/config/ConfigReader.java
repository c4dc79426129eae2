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
    return typed(path, Boolean.class, "true or false");
  }

  String string(String path) {
    return typed(path, String.class, "a string");
  }

  String nonBlank(String path) {
    String s = string(path);
    if (s.isBlank()) {
      throw invalid(prefix + path, s, "a non-empty string");
    }
    return s;
  }

  JsonArray array(String path) {
    return typed(path, JsonArray.class, "a JSON array");
  }

  private <T> T typed(String path, Class<T> type, String expected) {
    Object value = raw(path);
    if (!type.isInstance(value)) {
      throw invalid(prefix + path, value, expected);
    }
    return type.cast(value);
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

  /** Stands for a value that must not be repeated in a message: a token, a password. */
  static final Object REDACTED = new Object() {
    @Override
    public String toString() {
      return "a value not shown here (it may be a secret)";
    }
  };

  static ConfigException invalid(String path, Object value, String expected) {
    Object shown = isSecret(path) ? REDACTED : value;
    return new ConfigException("Invalid configuration '" + path + "': expected " + expected
        + ", got " + (shown instanceof String ? "'" + shown + "'" : String.valueOf(shown)));
  }

  /**
   * Keys whose values are never repeated in a message or a log line: {@code db.uri} may hold a
   * password, every {@code *Password} is one, and anything in {@code auth.tokens} may be a token (a token pasted where a name or
   * a tenant belongs, or a token entry that is not an object), except the fields checked to be
   * harmless.
   */
  static boolean isSecret(String path) {
    if (path.equals("db.uri") || path.endsWith("Password")) {
      return true;
    }
    return path.startsWith("auth.tokens") && !path.endsWith(".tenants") && !path.endsWith(".permissions")
        && !path.endsWith(".name");
  }
}
