package org.tenantfeatures.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.support.TestConfig;

class ConfigOverridesTest {

  private static final Function<String, String> NO_PROPERTIES = name -> null;

  @Test
  @DisplayName("a nested camel-case key maps to an upper-snake environment variable with the TF_ prefix")
  void envNameMapsNestedCamelCaseKeys() {
    assertThat(ConfigOverrides.envName("db.pool.maxSize")).isEqualTo("TF_DB_POOL_MAX_SIZE");
    assertThat(ConfigOverrides.envName("http.requestTimeoutMs")).isEqualTo("TF_HTTP_REQUEST_TIMEOUT_MS");
    assertThat(ConfigOverrides.envName("db.useLayer7Proxy")).isEqualTo("TF_DB_USE_LAYER7_PROXY");
  }

  @Test
  @DisplayName("TF_AUTH_TOKENS that is not valid JSON fails naming the variable, without echoing the token in it")
  void malformedTokensAreNotEchoed() {
    Map<String, String> env = Map.of("TF_AUTH_TOKENS", "[{\"token\":\"S3cretTok3n-aaaa\"");

    assertThatThrownBy(() -> ConfigOverrides.apply(TestConfig.defaults(), env, NO_PROPERTIES))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TF_AUTH_TOKENS")
        .hasMessageNotContaining("S3cretTok3n");
  }

  @Test
  @DisplayName("an environment variable overrides its key and is parsed as a number like the default")
  void envVariableOverridesNumber() {
    JsonObject result = ConfigOverrides.apply(TestConfig.defaults(), Map.of("TF_DB_POOL_MAX_SIZE", " 17 "), NO_PROPERTIES);

    Object value = result.getJsonObject("db").getJsonObject("pool").getValue("maxSize");
    assertThat(value).isInstanceOf(Number.class);
    assertThat(((Number) value).intValue()).isEqualTo(17);
  }

  @Test
  @DisplayName("a system property overrides its key, and wins over the environment variable for the same key")
  void propertyWinsOverEnvironment() {
    Map<String, String> env = Map.of("TF_DB_POOL_MAX_SIZE", "17");
    Function<String, String> props = Map.of("tf.db.pool.maxSize", "23")::get;

    JsonObject result = ConfigOverrides.apply(TestConfig.defaults(), env, props);

    assertThat(result.getJsonObject("db").getJsonObject("pool").getLong("maxSize")).isEqualTo(23L);
  }

  @Test
  @DisplayName("booleans and strings are parsed by the type of their default")
  void booleanAndStringOverrides() {
    Map<String, String> env = Map.of(
        "TF_DB_USE_LAYER7_PROXY", "TRUE",
        "TF_HTTP_HOST", "127.0.0.1");

    JsonObject result = ConfigOverrides.apply(TestConfig.defaults(), env, NO_PROPERTIES);

    assertThat(result.getJsonObject("db").getValue("useLayer7Proxy")).isEqualTo(Boolean.TRUE);
    assertThat(result.getJsonObject("http").getValue("host")).isEqualTo("127.0.0.1");
  }

  @Test
  @DisplayName("an array key is parsed from JSON text")
  void arrayOverrideIsParsedAsJson() {
    String tokens = "[{\"name\":\"ops\",\"token\":\"secret-token-1\",\"tenants\":[\"*\"]}]";

    JsonObject result = ConfigOverrides.apply(TestConfig.defaults(), Map.of("TF_AUTH_TOKENS", tokens), NO_PROPERTIES);

    JsonArray array = result.getJsonObject("auth").getJsonArray("tokens");
    assertThat(array).hasSize(1);
    assertThat(array.getJsonObject(0).getString("token")).isEqualTo("secret-token-1");
  }

  @Test
  @DisplayName("a non-numeric value for a numeric key fails naming the key and the environment variable")
  void invalidNumberNamesKeyAndVariable() {
    assertThatThrownBy(() -> ConfigOverrides.apply(TestConfig.defaults(), Map.of("TF_DB_POOL_MAX_SIZE", "eight"), NO_PROPERTIES))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'db.pool.maxSize'")
        .hasMessageContaining("TF_DB_POOL_MAX_SIZE")
        .hasMessageContaining("'eight'");
  }

  @Test
  @DisplayName("a value other than true or false for a boolean key fails naming the key and the system property")
  void invalidBooleanNamesKeyAndProperty() {
    Function<String, String> props = Map.of("tf.db.useLayer7Proxy", "yes")::get;

    assertThatThrownBy(() -> ConfigOverrides.apply(TestConfig.defaults(), Map.of(), props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'db.useLayer7Proxy'")
        .hasMessageContaining("system property tf.db.useLayer7Proxy")
        .hasMessageContaining("true or false");
  }

  @Test
  @DisplayName("text that is not a JSON array for an array key fails naming the key and the variable")
  void invalidArrayNamesKeyAndVariable() {
    assertThatThrownBy(() -> ConfigOverrides.apply(TestConfig.defaults(), Map.of("TF_AUTH_TOKENS", "[not json"), NO_PROPERTIES))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'auth.tokens'")
        .hasMessageContaining("TF_AUTH_TOKENS");
  }

  @Test
  @DisplayName("applying overrides leaves the input configuration unchanged and ignores unrelated variables")
  void inputIsNotChanged() {
    JsonObject input = TestConfig.defaults();
    JsonObject before = input.copy();

    JsonObject result = ConfigOverrides.apply(input, Map.of("TF_HTTP_PORT", "9090", "TF_NOT_A_KEY", "x", "PATH", "/bin"), NO_PROPERTIES);

    assertThat(input).isEqualTo(before);
    assertThat(result.getJsonObject("http").getLong("port")).isEqualTo(9090L);
    assertThat(result.fieldNames()).isEqualTo(before.fieldNames());
  }
}
