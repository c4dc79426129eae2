package org.tenantfeatures.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;

/**
 * Two clustered Vert.x instances (Hazelcast on loopback, a cluster name of this run's own): node
 * A with a database verticle, node B HTTP-only, answering through A over the clustered event bus.
 * Both cache maps for a minute; changes still reach B at once.
 */
@DisplayName("A two-node cluster")
class ClusterIT {

  private static final Logger log = LoggerFactory.getLogger(ClusterIT.class);
  private static final String WRITER = "test-token-cluster-writer";

  private final List<Vertx> nodes = new ArrayList<>();
  private String dbUri;
  private String tenant;
  private RunningService a;
  private RunningService b;

  @BeforeEach
  void startCluster() throws Exception {
    dbUri = TestPostgres.shared().createDatabase();
    String name = "tf-test-" + UUID.randomUUID();
    int hazelcastPort = TestConfig.freePort();
    a = start(node(name, hazelcastPort, true));
    b = start(node(name, hazelcastPort, false));
    Seed.flags(dbUri, 5);
    tenant = UUID.randomUUID().toString();
  }

  private AppConfig node(String clusterName, int hazelcastPort, boolean database) {
    TestConfig config = TestConfig.forDatabase(dbUri)
        .with("cache.ttlMs", 60_000)
        .with("cluster.enabled", true)
        .with("cluster.name", clusterName)
        .with("cluster.port", hazelcastPort)
        .with("cluster.members", new JsonArray().add("127.0.0.1"))
        .with("cluster.database", database);
    config.withToken("writer", WRITER, "read", "write");
    return config.build();
  }

  private RunningService start(AppConfig config) throws Exception {
    Vertx vertx = await(ClusterSetup.clusteredVertx(new VertxOptions(), config.cluster()));
    nodes.add(vertx);
    return await(RunningService.deploy(vertx, config));
  }

  @AfterEach
  void stopCluster() throws Exception {
    for (Vertx vertx : nodes) {
      await(vertx.close());
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  private boolean flag(RunningService node, String query) throws Exception {
    HttpResponse<Buffer> r = await(node.client().get("/api/v3/features/tenant" + query)
        .putHeader("Authorization", "Bearer " + TestConfig.ALL_TENANTS_TOKEN).putHeader("X-Tenant-ID", tenant).send());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonObject().getBoolean("flag_001");
  }

  private long write(boolean enabled) throws Exception {
    HttpResponse<Buffer> r = await(a.client().put("/api/v3/features/tenant/flag_001")
        .putHeader("Authorization", "Bearer " + WRITER).putHeader("X-Tenant-ID", tenant)
        .sendJsonObject(new JsonObject().put("enabled", enabled)));
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonObject().getLong("revision");
  }

  /** Reads on {@code node} until flag_001 is {@code expected}; the time it took, in ms. Fails after 5 s. */
  private long untilSeen(RunningService node, boolean expected, long since) throws Exception {
    while (flag(node, "") != expected) {
      assertThat((System.nanoTime() - since) / 1_000_000).as("waiting for the change on the other node").isLessThan(5_000);
      await(nodes.get(0).timer(5, TimeUnit.MILLISECONDS));
    }
    return (System.nanoTime() - since) / 1_000_000;
  }

  @Test
  @DisplayName("A write on A is read on B at once with its revision, and within 1 s without; the HTTP-only node answers through A")
  void writeOnOneNodeReadOnTheOther() throws Exception {
    assertThat(flag(b, "")).isFalse(); // B has the map cached for a minute
    List<Long> propagationMs = new ArrayList<>();
    boolean value = false;
    for (int i = 0; i < 20; i++) {
      value = !value;
      long start = System.nanoTime();
      long revision = write(value);
      if (i % 2 == 0) {
        assertThat(flag(b, "?minRevision=" + revision)).as("read on B asking for revision %d", revision).isEqualTo(value);
      } else {
        propagationMs.add(untilSeen(b, value, start));
      }
    }
    propagationMs.sort(Long::compare);
    log.info("Write on A to read on B, without minRevision (ms, sorted): {}", propagationMs);
    assertThat(propagationMs.get(propagationMs.size() - 1)).as("slowest propagation, ms").isLessThan(1_000);
  }

  @Test
  @DisplayName("A direct SQL change of tenant_features is reflected by both nodes within 1 s")
  void directSqlReachesBothNodes() throws Exception {
    assertThat(flag(a, "")).isFalse();
    assertThat(flag(b, "")).isFalse();
    long start = System.nanoTime();
    Sql.execute(dbUri, "INSERT INTO tenant_features (tenant_id, feature_id, is_enabled) "
        + "SELECT '" + tenant + "', id, true FROM feature_flags WHERE name = 'flag_001'");
    long onA = untilSeen(a, true, start);
    long onB = untilSeen(b, true, start);
    log.info("Direct SQL change seen on A after {} ms, on B after {} ms", onA, onB);
    assertThat(Math.max(onA, onB)).isLessThan(1_000);
  }
}
