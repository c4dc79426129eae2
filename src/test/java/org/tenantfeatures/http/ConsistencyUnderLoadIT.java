package org.tenantfeatures.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tenantfeatures.support.LoadRun;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;

/**
 * The incident's symptom under load: thousands of concurrent reads, each body compared with the
 * database's own map for its tenant. One {@code {}} or partial map among them fails the test.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Answers under load")
class ConsistencyUnderLoadIT {

  private static final int REQUESTS = 5_000;
  private static final int CONNECTIONS = 64;
  private static final int TENANTS = 16;

  @ParameterizedTest(name = "cache.ttlMs = {0}")
  @ValueSource(ints = {0, 60_000})
  @Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
  @DisplayName("5,000 requests over 64 connections: every answer is 200 and equal to the database's map")
  void everyAnswerEqualsTheDatabase(int ttlMs, Vertx vertx, VertxTestContext ctx) {
    String dbUri = TestPostgres.shared().createDatabase();
    var config = TestConfig.forDatabase(dbUri).with("cache.ttlMs", ttlMs).build();
    RunningService.deploy(vertx, config, CONNECTIONS)
        .compose(service -> {
          Seed.flags(dbUri, 50);
          List<String> tenants = Seed.tenantsWithData(dbUri, TENANTS);
          Map<String, JsonObject> expected = tenants.stream()
              .collect(Collectors.toMap(t -> t, t -> Sql.expectedMap(dbUri, t)));
          assertThat(expected.values()).allMatch(map -> map.size() == 50);
          return LoadRun.run(REQUESTS, CONNECTIONS,
              i -> service.getFeatures(tenants.get(i % TENANTS)),
              (i, response) -> expected.get(tenants.get(i % TENANTS)).equals(response.bodyAsJsonObject()));
        })
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.samples()).as("wrong bodies").isEmpty();
          assertThat(result.wrong()).isZero();
          assertThat(result.transportErrors()).isZero();
          assertThat(result.byStatus()).isEqualTo(Map.of(200, REQUESTS));
          assertThat(result.right()).isEqualTo(REQUESTS);
          ctx.completeNow();
        })));
  }
}
