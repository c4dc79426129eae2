package org.tenantfeatures.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.client.TenantMap;
import org.tenantfeatures.cluster.ClusterSetup;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.support.ClusterCerts;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestCluster;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;

/**
 * The example consumer against a real node: another team's clustered Vert.x runs
 * {@link TenantMapMirror}, and a write through the service's HTTP API reaches its copy within a
 * second, equal to the database's map.
 */
@DisplayName("An event-bus consumer in another team's verticle")
class TenantMapMirrorIT {

  private static final String WRITER = "mirror-writer-token";
  private final List<Vertx> nodes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Vertx vertx : nodes) {
      await(vertx.close());
    }
  }


  @Test
  @DisplayName("A write through HTTP on a node reaches the consumer's copy within 1 s, equal to the database's map")
  void writeReachesTheConsumersCopy() throws Exception {
    String dbUri = TestPostgres.shared().createDatabase();
    TestCluster cluster = TestCluster.of("tf-mirror", 2);
    AppConfig config = ClusterCerts.shared().member(TestConfig.forDatabase(dbUri), cluster, 0)
        .withToken("writer", WRITER, "read", "write")
        .build();
    Vertx serviceNode = await(ClusterSetup.clusteredVertx(new VertxOptions(), config.cluster()));
    nodes.add(serviceNode);
    RunningService service = await(RunningService.deploy(serviceNode, config));
    Seed.flags(dbUri, 5);
    String tenant = Seed.tenantWithData(dbUri);

    // Another team's service: a Vert.x of its own in the same cluster (with a certificate of the
    // cluster's CA, as every member needs), with the client only.
    Vertx theirs = await(ClusterSetup.clusteredVertx(new VertxOptions(),
        ClusterCerts.shared().member(TestConfig.forDatabase(dbUri), cluster, 1).build().cluster()));
    nodes.add(theirs);
    TenantMapMirror mirror = new TenantMapMirror(tenant);
    await(theirs.deployVerticle(mirror));
    assertThat(mirror.copy().features()).as("the first copy").isEqualTo(Sql.expectedMap(dbUri, tenant).getMap());

    String flag = "flag_004";
    boolean value = !mirror.copy().features().get(flag);
    long start = System.nanoTime();
    HttpResponse<Buffer> written = await(service.client().put("/api/v3/features/tenant/" + flag)
        .putHeader("Authorization", "Bearer " + WRITER).putHeader("X-Tenant-ID", tenant)
        .sendJsonObject(new JsonObject().put("enabled", value)));
    assertThat(written.statusCode()).isEqualTo(200);
    long revision = written.bodyAsJsonObject().getLong("revision");
    TenantMap seen;
    while ((seen = mirror.copy()).revision() < revision) {
      assertThat((System.nanoTime() - start) / 1_000_000).as("ms waiting for the write in the consumer's copy").isLessThan(1_000);
      await(theirs.timer(5, TimeUnit.MILLISECONDS));
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    LoggerFactory.getLogger(TenantMapMirrorIT.class).info("Write through HTTP seen in the consumer's copy after {} ms", ms);
    assertThat(seen.features().get(flag)).isEqualTo(value);
    assertThat(seen.features()).as("the consumer's copy against the database").isEqualTo(Sql.expectedMap(dbUri, tenant).getMap());
  }
}
