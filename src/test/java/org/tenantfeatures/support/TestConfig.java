package org.tenantfeatures.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.config.ConfigLoader;

/** Configurations for tests: the shipped defaults with a few keys changed, on a free port. */
public final class TestConfig {

  public static final String ALL_TENANTS_TOKEN = "test-token-all-tenants";
  public static final String SCOPED_TOKEN = "test-token-one-tenant";
  public static final String SCOPED_TENANT = "11111111-1111-1111-1111-111111111111";

  private final JsonObject json;

  private TestConfig(JsonObject json) {
    this.json = json;
  }

  /**
   * Defaults, a free port, a unique application name, two tokens, and the given database. The
   * time limits are wider than the defaults: the first connection to a new database can take
   * over a second on a busy two-core machine, and tests that are not about timing must not
   * depend on it. Tests about timing set their limits themselves. No start-up
   * warm-up ({@code http.warmUpMs}): a test's node is not measured, and 15 s a start would add up.
   * Two HTTP verticle instances, whatever the machine: the tests see instances share the node's port and state.
   */
  public static TestConfig forDatabase(String dbUri) {
    JsonObject json = defaults();
    json.getJsonObject("http").put("port", freePort()).put("host", "127.0.0.1").put("requestTimeoutMs", 10_000)
        .put("warmUpMs", 0).put("instances", 2);
    json.getJsonObject("db").put("statementTimeoutMs", 8_000);
    json.getJsonObject("db").getJsonObject("pool").put("connectionTimeoutMs", 5_000);
    json.getJsonObject("db").put("uri", dbUri).put("applicationName", "tf-test-" + Long.toHexString(System.nanoTime()));
    json.getJsonObject("auth").put("tokens", new JsonArray()
        .add(new JsonObject().put("name", "all").put("token", ALL_TENANTS_TOKEN).put("tenants", new JsonArray().add("*")))
        .add(new JsonObject().put("name", "scoped").put("token", SCOPED_TOKEN).put("tenants", new JsonArray().add(SCOPED_TENANT))));
    return new TestConfig(json);
  }

  /** Adds a token for all tenants with the given permissions. */
  public TestConfig withToken(String name, String token, String... permissions) {
    json.getJsonObject("auth").getJsonArray("tokens").add(new JsonObject().put("name", name).put("token", token)
        .put("tenants", new JsonArray().add("*")).put("permissions", new JsonArray(java.util.List.of((Object[]) permissions))));
    return this;
  }

  /** Adds a token scoped to the given tenants (canonical ids, or "*") with the given permissions. */
  public TestConfig withScopedToken(String name, String token, java.util.List<String> tenants, String... permissions) {
    json.getJsonObject("auth").getJsonArray("tokens").add(new JsonObject().put("name", name).put("token", token)
        .put("tenants", new JsonArray(new java.util.ArrayList<Object>(tenants)))
        .put("permissions", new JsonArray(java.util.List.of((Object[]) permissions))));
    return this;
  }

  /** Sets a key by its dotted path, as an override would. */
  public TestConfig with(String path, Object value) {
    set(json, path, value);
    return this;
  }

  /** Sets a key of a configuration tree by its dotted path. */
  public static void set(JsonObject config, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject node = config;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
    }
    node.put(parts[parts.length - 1], value);
  }

  public AppConfig build() {
    return AppConfig.from(json);
  }

  public static JsonObject defaults() {
    try (InputStream in = TestConfig.class.getClassLoader().getResourceAsStream(ConfigLoader.DEFAULTS)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
