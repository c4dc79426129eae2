package org.tenantfeatures.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.config.AppConfig.TokenGrant;
import org.tenantfeatures.support.TestConfig;

class AppConfigTest {

  private static final String TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

  private final JsonObject json = TestConfig.defaults();

  /** Sets a key of {@link #json} by its dotted path. */
  private AppConfigTest set(String path, Object value) {
    TestConfig.set(json, path, value);
    return this;
  }

  private AppConfigTest tokens(JsonObject... entries) {
    JsonArray array = new JsonArray();
    for (JsonObject entry : entries) {
      array.add(entry);
    }
    return set("auth.tokens", array);
  }

  private static JsonObject token(String token, Object... tenants) {
    return new JsonObject().put("token", token).put("tenants", new JsonArray(java.util.List.of(tenants)));
  }

  private AppConfig build() {
    return AppConfig.from(json);
  }

  @Test
  @DisplayName("the shipped defaults are valid: no database configured, cache enabled, no tokens")
  void defaultsAreValid() {
    AppConfig config = build();

    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().requestTimeoutMs()).isEqualTo(2000);
    assertThat(config.db().pool().maxSize()).isEqualTo(8);
    assertThat(config.db().configured()).isFalse();
    assertThat(config.cache().enabled()).isTrue();
    assertThat(config.tokens()).isEmpty();
  }

  @Test
  @DisplayName("an integer outside its range fails naming the key and the allowed range")
  void outOfRangeNamesKeyAndRange() {
    set("db.pool.maxSize", 1001);

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'db.pool.maxSize'")
        .hasMessageContaining("from 1 to 1000")
        .hasMessageContaining("1001");
  }

  @Test
  @DisplayName("a fractional number for an integer key fails naming the key")
  void fractionalNumberIsRejected() {
    set("http.port", 8080.5);

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'http.port'")
        .hasMessageContaining("an integer");
  }

  @Test
  @DisplayName("a value of the wrong type fails naming the key and the expected type")
  void wrongTypeIsRejected() {
    set("demo.load", "yes");

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'demo.load'")
        .hasMessageContaining("true or false");
  }

  @Test
  @DisplayName("a missing key fails naming the full key path")
  void missingKeyIsNamed() {
    json.getJsonObject("cache").remove("ttlMs");

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Missing configuration key 'cache.ttlMs'");
  }

  @Test
  @DisplayName("db.statementTimeoutMs may equal but not exceed http.requestTimeoutMs")
  void statementTimeoutBoundedByRequestTimeout() {
    set("http.requestTimeoutMs", 3000).set("db.statementTimeoutMs", 3000);
    assertThat(build().db().statementTimeoutMs()).isEqualTo(3000);

    set("db.statementTimeoutMs", 3001);
    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'db.statementTimeoutMs'")
        .hasMessageContaining("to 3000");
  }

  @Test
  @DisplayName("db.pool.connectionTimeoutMs must not exceed http.requestTimeoutMs")
  void connectionTimeoutBoundedByRequestTimeout() {
    set("db.pool.connectionTimeoutMs", 2001);

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'db.pool.connectionTimeoutMs'")
        .hasMessageContaining("to 2000");
  }

  @Test
  @DisplayName("db.retry.maxBackoffMs below db.retry.initialBackoffMs fails naming both keys")
  void maxBackoffNotBelowInitialBackoff() {
    set("db.retry.initialBackoffMs", 100).set("db.retry.maxBackoffMs", 99);

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'db.retry.maxBackoffMs'")
        .hasMessageContaining("db.retry.initialBackoffMs (100)");
  }

  @Test
  @DisplayName("token grants read \"*\" as all tenants, canonicalise tenant UUIDs to lower case and default the name")
  void tokenGrantsAreParsed() {
    tokens(
        token("all-tenants-token", "*").put("name", "ops"),
        token("one-tenant-token", TENANT.toUpperCase()));

    var grants = build().tokens();

    assertThat(grants).extracting(TokenGrant::name).containsExactly("ops", "token-1");
    TokenGrant all = grants.get(0);
    assertThat(all.allTenants()).isTrue();
    assertThat(all.allows("any-tenant")).isTrue();
    TokenGrant scoped = grants.get(1);
    assertThat(scoped.allTenants()).isFalse();
    assertThat(scoped.tenants()).containsExactly(TENANT);
    assertThat(scoped.allows(TENANT)).isTrue();
    assertThat(scoped.allows("00000000-0000-0000-0000-000000000000")).isFalse();
  }

  @Test
  @DisplayName("a token shorter than 8 characters fails naming its entry, without echoing the token")
  void shortTokenIsRejected() {
    tokens(token("seven77", "*"));

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'auth.tokens[0].token'")
        .hasMessageContaining("at least 8 characters")
        .hasMessageNotContaining("seven77");
  }

  @Test
  @DisplayName("a token used twice fails naming the second entry, without echoing the token")
  void duplicateTokenIsRejected() {
    tokens(token("shared-secret", "*"), token("shared-secret", TENANT));

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'auth.tokens[1].token'")
        .hasMessageContaining("unique")
        .hasMessageNotContaining("shared-secret");
  }

  @Test
  @DisplayName("a token with spaces, which no trimmed Authorization header could match, fails naming its entry")
  void tokenWithSpacesIsRejected() {
    tokens(token("valid-token-0", "*"), token("padded-secret ", "*"));

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'auth.tokens[1].token'")
        .hasMessageContaining("without spaces")
        .hasMessageNotContaining("padded-secret");
  }

  @Test
  @DisplayName("permissions default to read; a grant has exactly the permissions it lists")
  void permissionsAreExact() {
    tokens(token("valid-token-0", "*"), token("valid-token-1", TENANT).put("permissions", new JsonArray().add("write")));

    var grants = build().tokens();
    assertThat(grants.get(0).may("read")).isTrue();
    assertThat(grants.get(0).may("write")).isFalse();
    assertThat(grants.get(1).may("read")).isFalse();
    assertThat(grants.get(1).may("write")).isTrue();
    assertThat(grants.get(1).allTenants()).isFalse();
  }

  @Test
  @DisplayName("a boolean key is read as it is set, false as false and true as true")
  void booleansAreReadAsSet() {
    assertThat(build().loadDemoData()).isFalse();
    assertThat(build().http().limits().h2c()).isFalse();
    set("demo.load", true).set("http.h2c", true);
    assertThat(build().loadDemoData()).isTrue();
    assertThat(build().http().limits().h2c()).isTrue();
  }

  @Test
  @DisplayName("the cache is on with a positive TTL, stale-if-error with a positive bound")
  void cacheSwitches() {
    set("cache.ttlMs", 1).set("cache.staleIfErrorMs", 1);
    assertThat(build().cache().enabled()).isTrue();
    assertThat(build().cache().staleIfError()).isTrue();
    set("cache.ttlMs", 0).set("cache.staleIfErrorMs", 0);
    assertThat(build().cache().enabled()).isFalse();
    assertThat(build().cache().staleIfError()).isFalse();
  }

  @Test
  @DisplayName("a well-formed db.uri is kept; a secret key's value is never shown, a tenant list's is")
  void databaseUriAndSecrets() {
    set("db.uri", "postgresql://app:pw@db:5432/x");
    assertThat(build().db().uri()).isEqualTo("postgresql://app:pw@db:5432/x");
    assertThat(ConfigReader.isSecret("db.uri")).isTrue();
    assertThat(ConfigReader.isSecret("auth.tokens[0].token")).isTrue();
    assertThat(ConfigReader.isSecret("auth.tokens")).isTrue();
    assertThat(ConfigReader.isSecret("auth.tokens[0].tenants")).isFalse();
    assertThat(ConfigReader.isSecret("http.port")).isFalse();
  }

  @Test
  @DisplayName("a token with an empty permission list fails naming its permissions")
  void tokenWithoutPermissionsIsRejected() {
    tokens(token("valid-token-0", "*").put("permissions", new JsonArray()));

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'auth.tokens[0].permissions'");
  }

  @Test
  @DisplayName("two tokens of one name (the audit's actor) fail naming the second entry's name")
  void duplicateTokenNameIsRejected() {
    tokens(token("valid-token-0", "*").put("name", "ops"), token("valid-token-1", TENANT).put("name", "ops"));

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'auth.tokens[1].name'")
        .hasMessageContaining("unique");
  }

  @Test
  @DisplayName("a token given as a bare string fails naming its entry, without echoing it")
  void bareStringTokenIsNotEchoed() {
    set("auth.tokens", new JsonArray().add("S3cretTok3n-aaaa"));

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'auth.tokens[0]'")
        .hasMessageNotContaining("S3cretTok3n");
  }

  @Test
  @DisplayName("a malformed db.uri fails naming the key, without echoing its password")
  void malformedDatabaseUriIsNotEchoed() {
    set("db.uri", "postgresql://app:Pa55word-zz@db:notaport/x");

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'db.uri'")
        .hasMessageNotContaining("Pa55word");
  }

  @Test
  @DisplayName("a token granted no tenants at all fails naming its tenants")
  void tokenWithoutTenantsIsRejected() {
    tokens(token("valid-token-0"));

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'auth.tokens[0].tenants'");
  }

  @Test
  @DisplayName("a tenant that is neither \"*\" nor a UUID fails naming the entry's tenants and the value")
  void invalidTenantIsRejected() {
    tokens(token("valid-token-0", "*"), token("valid-token-1", TENANT, "1-2-3-4-5"));

    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'auth.tokens[1].tenants'")
        .hasMessageContaining("'1-2-3-4-5'");
  }

  @Test
  @DisplayName("a token entry that is not an object, or lacks its token, fails naming the entry")
  void malformedTokenEntryIsRejected() {
    set("auth.tokens", new JsonArray().add("just-a-string"));
    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'auth.tokens[0]'");

    set("auth.tokens", new JsonArray().add(new JsonObject().put("tenants", new JsonArray().add("*"))));
    assertThatThrownBy(this::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Missing configuration key 'auth.tokens[0].token'");
  }

  @Test
  @DisplayName("a clustered node without TLS does not start: it needs key and trust stores, or insecure on loopback only")
  void clusterNeedsTls() throws Exception {
    set("cluster.enabled", true);
    assertThatThrownBy(this::build).isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.tls").hasMessageContaining("scripts/make-certs.sh").hasMessageContaining("cluster.insecure");

    set("cluster.insecure", true);
    assertThat(build().cluster().insecure()).as("insecure on loopback, for development").isTrue();

    set("cluster.host", "10.1.2.3");
    assertThatThrownBy(this::build).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'cluster.insecure'").hasMessageContaining("10.1.2.3");

    java.nio.file.Path store = java.nio.file.Files.createTempFile("node", ".p12");
    try {
      set("cluster.insecure", false).set("cluster.tls.keyStore", store.toString()).set("cluster.tls.trustStore", "/no/such/truststore.p12")
          .set("cluster.tls.trustStorePassword", "s3cret-store-pass");
      assertThatThrownBy(this::build).isInstanceOf(ConfigException.class)
          .hasMessageContaining("'cluster.tls.trustStore'").hasMessageNotContaining("s3cret-store-pass");
      set("cluster.tls.trustStore", store.toString());
      assertThat(build().cluster().tls().configured()).isTrue();
    } finally {
      java.nio.file.Files.delete(store);
    }
  }

  @Test
  @DisplayName("a store password is never repeated in a message")
  void storePasswordsAreSecret() {
    assertThat(ConfigReader.isSecret("cluster.tls.keyStorePassword")).isTrue();
    assertThat(ConfigReader.isSecret("cluster.tls.trustStorePassword")).isTrue();
    assertThat(ConfigReader.isSecret("cluster.tls.keyStore")).isFalse();
  }

  @Test
  @DisplayName("auth.cors.allowedOrigins keeps named origins in the form browsers send and refuses wildcards, null, paths and other schemes")
  void crossOrigins() {
    set("auth.cors.allowedOrigins", new JsonArray().add("https://App.Example.com").add("http://127.0.0.1:5173"));
    assertThat(build().crossOrigins().allowedOrigins()).containsExactly("https://app.example.com", "http://127.0.0.1:5173");
    assertThat(build().crossOrigins().maxAgeSeconds()).isEqualTo(600);
    for (String bad : new String[] {"*", "null", "https://app.example.com/", "https://app.example.com/path", "ftp://app.example.com",
        "https://user@app.example.com", "app.example.com", "https://app.example.com?x=1"}) {
      set("auth.cors.allowedOrigins", new JsonArray().add(bad));
      assertThatThrownBy(this::build).as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("auth.cors.allowedOrigins");
    }
  }
}
