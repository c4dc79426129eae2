package org.tenantfeatures.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.ServiceProcess;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;

/**
 * Starts the real entry point in a child JVM whose environment sets the reads to one connection
 * carrying one statement, with no wait queue, and watches that take effect: with one request
 * holding the only connection, the next is refused at once as pool-exhausted, and the database
 * sees exactly one read connection from this service.
 */
@DisplayName("Environment overrides")
class EnvironmentOverrideIT {

  private static final String TOKEN = "env-override-token";
  private Process service;

  @AfterEach
  void stopService() throws Exception {
    if (service != null) {
      ServiceProcess.stop(Duration.ofSeconds(15), List.of(service));
    }
  }

  @Test
  @DisplayName("TF_DB_POOL_MAX_SIZE=1, TF_DB_PIPELINING_LIMIT=1 and TF_DB_POOL_MAX_WAIT_QUEUE_SIZE=0 give one read connection that refuses a second read; TF_LOG_FORMAT=json gives JSON log lines")
  void poolSizeFromEnvironment() throws Exception {
    String dbUri = TestPostgres.shared().createDatabase();
    int port = TestConfig.freePort();
    String applicationName = "tf-env-" + Long.toHexString(System.nanoTime());
    service = start(dbUri, port, applicationName);

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String tenant = "22222222-2222-2222-2222-222222222222";
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v3/features/tenant"))
        .header("Authorization", "Bearer " + TOKEN)
        .header("X-Tenant-ID", tenant)
        .timeout(Duration.ofSeconds(20))
        .build();
    waitFor("the service to answer HTTP", 90_000, () -> {
      try {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (Exception notYet) {
        return false;
      }
    });
    Seed.flags(dbUri, 5);
    Sql.execute(dbUri, "INSERT INTO tenant_features (tenant_id, feature_id, is_enabled) SELECT '" + tenant + "', id, true FROM feature_flags");
    JsonObject expected = Sql.expectedMap(dbUri, tenant);

    try (Connection locker = Sql.connect(dbUri)) {
      locker.setAutoCommit(false);
      try (Statement s = locker.createStatement()) {
        s.execute("LOCK TABLE feature_flags IN ACCESS EXCLUSIVE MODE");
      }
      CompletableFuture<HttpResponse<String>> first = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
      waitFor("the first request to wait on the lock", 10_000,
          () -> Sql.backends(dbUri, applicationName, "AND wait_event_type = 'Lock'") == 1);

      long start = System.nanoTime();
      HttpResponse<String> second = http.send(request, HttpResponse.BodyHandlers.ofString());
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(second.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(second.body()).getString("type")).isEqualTo("/problems/pool-exhausted");
      assertThat(elapsedMs).as("refused without waiting").isLessThan(2_000);
      assertThat(Sql.backends(dbUri, applicationName, "")).as("connections of this service").isEqualTo(1);

      locker.commit();
      HttpResponse<String> released = first.get(20, TimeUnit.SECONDS);
      assertThat(released.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(released.body())).isEqualTo(expected);
    }
    List<String> lines = Files.readAllLines(Path.of("target/environment-override-service.log"));
    assertThat(lines).as("TF_LOG_FORMAT=json: log lines are JSON objects")
        .anySatisfy(line -> assertThat(new JsonObject(line).getString("message")).startsWith("tenant-features listening on"));
  }

  @Test
  @DisplayName("A start-up refused for its configuration (tokens not JSON, a token as a bare string, a database out of reach) exits 1 and prints no token or password")
  void configurationErrorsPrintNoSecret() throws Exception {
    String secret = "S3cretTok3n-aaaa";
    String password = "Pa55word-zz";
    List<Map<String, String>> cases = List.of(
        Map.of("TF_AUTH_TOKENS", "[{\"token\":\"" + secret + "\""),
        Map.of("TF_AUTH_TOKENS", "[\"" + secret + "\"]"),
        Map.of("TF_DB_URI", "postgresql://app:" + password + "@127.0.0.1:notaport/x"),
        // Well-formed, but nothing listens there: the migrations' connection fails.
        Map.of("TF_DB_URI", "postgresql://app:" + password + "@127.0.0.1:" + TestConfig.freePort() + "/x"));
    for (Map<String, String> env : cases) {
      Map<String, String> all = new HashMap<>();
      all.put("TF_HTTP_PORT", Integer.toString(TestConfig.freePort()));
      all.put("TF_HTTP_METRICS", "false");
      all.putAll(env);
      File log = new File("target/configuration-error.log");
      Process process = ServiceProcess.start(all, log);
      try {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited by itself: %s", env).isTrue();
      } finally {
        process.destroyForcibly();
      }
      String output = Files.readString(log.toPath());
      assertThat(process.exitValue()).as("exit code for %s; output:%n%s", env.keySet(), output).isEqualTo(1);
      assertThat(output).as("output for %s", env.keySet()).doesNotContain(secret, password);
    }
  }

  private static Process start(String dbUri, int port, String applicationName) throws Exception {
    Map<String, String> env = ServiceProcess.environment(dbUri, port, applicationName);
    env.put("TF_HTTP_INSTANCES", "1");
    env.put("TF_HTTP_REQUEST_TIMEOUT_MS", "15000");
    env.put("TF_DB_STATEMENT_TIMEOUT_MS", "12000");
    env.put("TF_DB_POOL_MAX_SIZE", "1");
    env.put("TF_DB_POOL_MAX_WAIT_QUEUE_SIZE", "0");
    // One read at a time on the connection: pipelined (the default, 256), the second read would
    // queue behind the first on it and wait out its deadline (504) instead of being refused.
    env.put("TF_DB_PIPELINING_LIMIT", "1");
    env.put("TF_CACHE_TTL_MS", "0");
    env.put("TF_LOG_FORMAT", "json");
    env.put("TF_AUTH_TOKENS", "[{\"name\":\"env\",\"token\":\"" + TOKEN + "\",\"tenants\":[\"*\"]}]");
    return ServiceProcess.start(env, new File("target/environment-override-service.log"));
  }


  /** Polls a condition every 50 ms until it holds or the limit passes. */
  private void waitFor(String what, long limitMs, BooleanSupplier condition) throws InterruptedException {
    long giveUp = System.nanoTime() + limitMs * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (!service.isAlive()) {
        throw new AssertionError("the service exited (code " + service.exitValue() + ") while waiting for " + what
            + "; see target/environment-override-service.log");
      }
      if (System.nanoTime() > giveUp) {
        throw new AssertionError("timed out after " + limitMs + " ms waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
