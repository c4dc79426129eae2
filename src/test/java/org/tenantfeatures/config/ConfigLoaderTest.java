package org.tenantfeatures.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tenantfeatures.support.TestConfig;

@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {

  private static final Function<String, String> NO_PROPERTIES = name -> null;

  @TempDir
  Path dir;

  private Path overlay(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }


  @Test
  @DisplayName("an overlay naming only keys the defaults declare, at any depth, is accepted")
  void knownKeysAreAccepted() {
    JsonObject overlay = new JsonObject()
        .put("http", new JsonObject().put("port", 1))
        .put("db", new JsonObject().put("pool", new JsonObject().put("maxSize", 2)));

    assertThatCode(() -> ConfigLoader.rejectUnknownKeys(TestConfig.defaults(), overlay, ""))
        .doesNotThrowAnyException();
  }

  @Test
  @DisplayName("an unknown top-level key in an overlay fails naming the key")
  void unknownTopLevelKeyIsRejected() {
    JsonObject overlay = new JsonObject().put("htpp", new JsonObject().put("port", 1));

    assertThatThrownBy(() -> ConfigLoader.rejectUnknownKeys(TestConfig.defaults(), overlay, ""))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown configuration key 'htpp'");
  }

  @Test
  @DisplayName("a misspelt nested key in an overlay fails naming its full path")
  void unknownNestedKeyIsRejected() {
    JsonObject overlay = new JsonObject()
        .put("db", new JsonObject().put("pool", new JsonObject().put("maxSzie", 2)));

    assertThatThrownBy(() -> ConfigLoader.rejectUnknownKeys(TestConfig.defaults(), overlay, ""))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'db.pool.maxSzie'");
  }

  @Test
  @DisplayName("an overlay that puts a single value where a section of keys belongs fails naming the section")
  void sectionReplacedByValueIsRejected() {
    JsonObject overlay = new JsonObject().put("db", 5);

    assertThatThrownBy(() -> ConfigLoader.rejectUnknownKeys(TestConfig.defaults(), overlay, ""))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'db'")
        .hasMessageContaining("object");
  }

  @Test
  @DisplayName("without an overlay the shipped defaults are loaded")
  void loadsDefaultsWithoutOverlay(Vertx vertx) throws Exception {
    AppConfig config = await(ConfigLoader.load(vertx, Map.of(), NO_PROPERTIES));

    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.db().pool().maxSize()).isEqualTo(8);
  }

  @Test
  @DisplayName("an overlay named by TF_CONFIG changes its keys and keeps every other default")
  void overlayFromEnvironmentIsMerged(Vertx vertx) throws Exception {
    Path file = overlay("dev.json", "{\"http\": {\"port\": 9091}, \"db\": {\"pool\": {\"maxSize\": 4}}}");

    AppConfig config = await(ConfigLoader.load(vertx, Map.of("TF_CONFIG", file.toString()), NO_PROPERTIES));

    assertThat(config.http().port()).isEqualTo(9091);
    assertThat(config.db().pool().maxSize()).isEqualTo(4);
    assertThat(config.http().host()).isEqualTo("0.0.0.0");
    assertThat(config.db().pool().maxWaitQueueSize()).isEqualTo(256);
  }

  @Test
  @DisplayName("the tf.config property wins over TF_CONFIG, and TF_ variables win over the overlay")
  void precedenceOfOverlayAndOverrides(Vertx vertx) throws Exception {
    Path fromEnv = overlay("env.json", "{\"http\": {\"port\": 9001}, \"cache\": {\"ttlMs\": 11}}");
    Path fromProperty = overlay("prop.json", "{\"http\": {\"port\": 9002}, \"cache\": {\"ttlMs\": 22}}");
    Map<String, String> env = Map.of("TF_CONFIG", fromEnv.toString(), "TF_HTTP_PORT", "9003");
    Function<String, String> props = Map.of("tf.config", fromProperty.toString())::get;

    AppConfig config = await(ConfigLoader.load(vertx, env, props));

    assertThat(config.cache().ttlMs()).isEqualTo(22);
    assertThat(config.http().port()).isEqualTo(9003);
  }

  /** Loading fails with a {@link ConfigException}, whose message the caller checks. */
  private static AbstractThrowableAssert<?, ?> failsToLoad(Future<AppConfig> result) {
    return assertThatThrownBy(() -> await(result)).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ConfigException.class);
  }

  @Test
  @DisplayName("an overlay with a misspelt key fails loading naming the key")
  void overlayWithUnknownKeyFails(Vertx vertx) throws Exception {
    Path file = overlay("typo.json", "{\"cache\": {\"ttl\": 5}}");
    failsToLoad(ConfigLoader.load(vertx, Map.of("TF_CONFIG", file.toString()), NO_PROPERTIES)).hasMessageContaining("'cache.ttl'");
  }

  @Test
  @DisplayName("a missing overlay file fails loading naming the file")
  void missingOverlayFails(Vertx vertx) {
    String missing = dir.resolve("does-not-exist.json").toString();
    failsToLoad(ConfigLoader.load(vertx, Map.of(), Map.of("tf.config", missing)::get))
        .hasMessageContaining("Cannot read configuration file").hasMessageContaining(missing);
  }

  @Test
  @DisplayName("an overlay that is not valid JSON fails loading naming the file")
  void malformedOverlayFails(Vertx vertx) throws Exception {
    Path file = overlay("broken.json", "{\"http\": {\"port\": ");
    failsToLoad(ConfigLoader.load(vertx, Map.of("TF_CONFIG", file.toString()), NO_PROPERTIES)).hasMessageContaining(file.toString());
  }
}
