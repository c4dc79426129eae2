package org.tenantfeatures.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads the configuration in this order, each layer over the one before:
 * <ol>
 *   <li>{@code conf/config.json}, carried in the jar: every key with its default;</li>
 *   <li>an optional overlay file named by {@code TF_CONFIG} or {@code -Dtf.config}
 *       (for example {@code conf/dev.json});</li>
 *   <li>environment variables {@code TF_...}, then system properties {@code tf....}.</li>
 * </ol>
 * The overlay may only name keys the defaults declare, so a misspelt key fails start-up instead
 * of being ignored.
 */
public final class ConfigLoader {

  public static final String DEFAULTS = "conf/config.json";
  public static final String OVERLAY_ENV = "TF_CONFIG";
  public static final String OVERLAY_PROPERTY = "tf.config";

  private ConfigLoader() {
  }

  /**
   * Loads the configuration on a short-lived Vert.x of its own, for callers that need it before
   * their own Vert.x exists (its options depend on it) or that have none (the command-line tools).
   */
  public static AppConfig loadBlocking() {
    Vertx temporary = Vertx.vertx();
    try {
      return load(temporary).await();
    } finally {
      temporary.close().await();
    }
  }

  public static Future<AppConfig> load(Vertx vertx) {
    return load(vertx, System.getenv(), System::getProperty);
  }

  public static Future<AppConfig> load(Vertx vertx, Map<String, String> env, Function<String, String> properties) {
    String overlay = properties.apply(OVERLAY_PROPERTY) != null ? properties.apply(OVERLAY_PROPERTY) : env.get(OVERLAY_ENV);
    return read(vertx, DEFAULTS).compose(defaults -> {
      Future<JsonObject> layered = overlay == null || overlay.isBlank()
          ? Future.succeededFuture(defaults)
          : read(vertx, overlay).map(over -> {
            rejectUnknownKeys(defaults, over, "");
            return defaults.copy().mergeIn(over, true);
          });
      return layered.map(merged -> AppConfig.from(ConfigOverrides.apply(merged, env, properties)));
    });
  }

  private static Future<JsonObject> read(Vertx vertx, String path) {
    ConfigStoreOptions file = new ConfigStoreOptions().setType("file").setFormat("json")
        .setConfig(new JsonObject().put("path", path));
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
        new ConfigRetrieverOptions().setIncludeDefaultStores(false).addStore(file));
    return retriever.getConfig()
        .recover(e -> Future.failedFuture(new ConfigException("Cannot read configuration file " + path + ": " + e.getMessage())))
        .onComplete(r -> retriever.close());
  }

  static void rejectUnknownKeys(JsonObject defaults, JsonObject overlay, String prefix) {
    for (String key : overlay.fieldNames()) {
      if (!defaults.containsKey(key)) {
        throw new ConfigException("Unknown configuration key '" + prefix + key + "'");
      }
      boolean section = defaults.getValue(key) instanceof JsonObject;
      if (section != overlay.getValue(key) instanceof JsonObject) {
        throw new ConfigException("Configuration key '" + prefix + key + "' must be "
            + (section ? "an object of keys" : "a single value, not an object"));
      }
      if (section) {
        rejectUnknownKeys(defaults.getJsonObject(key), overlay.getJsonObject(key), prefix + key + ".");
      }
    }
  }
}
