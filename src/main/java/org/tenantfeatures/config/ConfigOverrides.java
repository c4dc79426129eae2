package org.tenantfeatures.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Applies environment variables and system properties on top of the file configuration.
 *
 * <p>Every leaf key of the defaults can be overridden: {@code db.pool.maxSize} by the
 * environment variable {@code TF_DB_POOL_MAX_SIZE} and by the system property
 * {@code tf.db.pool.maxSize} (the property wins). vertx-config's env and sys stores cannot map a
 * flat upper-snake name back onto a nested camel-case key, so the mapping is done here, driven by
 * the keys the defaults declare; a value is parsed as the type of its default, so a typo fails
 * start-up with the key and the variable named instead of being read as a string.
 */
public final class ConfigOverrides {

  public static final String ENV_PREFIX = "TF_";
  public static final String PROPERTY_PREFIX = "tf.";

  private ConfigOverrides() {
  }

  /** {@code db.pool.maxSize} → {@code TF_DB_POOL_MAX_SIZE}. */
  public static String envName(String keyPath) {
    String snake = keyPath.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2");
    return ENV_PREFIX + snake.toUpperCase(Locale.ROOT);
  }

  /** Returns a copy of {@code config} with overrides applied; {@code config} is not changed. */
  public static JsonObject apply(JsonObject config, Map<String, String> env, Function<String, String> properties) {
    JsonObject result = config.copy();
    applyTo(result, "", env, properties);
    return result;
  }

  private static void applyTo(JsonObject node, String prefix, Map<String, String> env, Function<String, String> properties) {
    for (String key : node.fieldNames().toArray(String[]::new)) {
      String path = prefix + key;
      Object current = node.getValue(key);
      if (current instanceof JsonObject child) {
        applyTo(child, path + ".", env, properties);
        continue;
      }
      String fromProperty = properties.apply(PROPERTY_PREFIX + path);
      String fromEnv = env.get(envName(path));
      if (fromProperty != null) {
        node.put(key, parse(path, "system property " + PROPERTY_PREFIX + path, fromProperty, current));
      } else if (fromEnv != null) {
        node.put(key, parse(path, "environment variable " + envName(path), fromEnv, current));
      }
    }
  }

  private static Object parse(String path, String source, String text, Object template) {
    String t = text.trim();
    try {
      if (template instanceof Boolean) {
        if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
          throw new IllegalArgumentException();
        }
        return Boolean.parseBoolean(t);
      }
      if (template instanceof Integer || template instanceof Long) {
        return Long.parseLong(t);
      }
      if (template instanceof Number) {
        return Double.parseDouble(t);
      }
      if (template instanceof JsonArray) {
        return new JsonArray(t);
      }
      return text;
    } catch (IllegalArgumentException | DecodeException e) {
      String got = ConfigReader.isSecret(path) ? String.valueOf(ConfigReader.REDACTED) : "'" + text + "'";
      throw new ConfigException("Invalid configuration '" + path + "' from " + source + ": expected "
          + describe(template) + ", got " + got);
    }
  }

  private static String describe(Object template) {
    if (template instanceof Boolean) {
      return "true or false";
    }
    if (template instanceof Number) {
      return "a number";
    }
    if (template instanceof JsonArray) {
      return "a JSON array such as " + Json.encode(template);
    }
    return "a string";
  }
}
