package org.tenantfeatures.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.ChangeEvent;
import org.tenantfeatures.client.DatabaseClient;
import org.tenantfeatures.client.Deadline;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.support.ClusterCerts;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestCluster;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;

/**
 * Who is a member: two nodes, each with its database verticle, whose event bus is mutual TLS with
 * certificates of the cluster's CA; and a Vert.x that joins the same Hazelcast cluster (which
 * Hazelcast's open-source edition cannot refuse) with a certificate of another CA, or with none.
 * The intruder sees the members and their addresses, and can use none of them: no reply from
 * {@code tenant-features.db}, no write, no change event.
 */
@DisplayName("Cluster membership: mutual TLS on the event bus")
class ClusterMembershipIT {

  private static final String ADMIN = "membership-admin-token";
  /** How long an intruder's request may take to fail: it must fail, not hang. */
  private static final long INTRUDER_DEADLINE_MS = 3_000;

  private final List<Vertx> vertxes = new ArrayList<>();
  private String dbUri;
  private TestCluster cluster;
  private int nodes;
  private String tenant;
  private RunningService a;
  private RunningService b;

  @BeforeEach
  void startMembers() throws Exception {
    dbUri = TestPostgres.shared().createDatabase();
    cluster = TestCluster.of("tf-membership", 3); // two members, and room for an intruder
    a = member();
    b = member();
    Seed.flagsHeard(vertxes.get(1), dbUri, 4); // heard on B before a test counts events there
    tenant = UUID.randomUUID().toString();
  }

  @AfterEach
  void stopAll() throws Exception {
    for (Vertx vertx : vertxes) {
      await(vertx.close());
    }
  }

  private RunningService member() throws Exception {
    AppConfig config = ClusterCerts.shared().member(TestConfig.forDatabase(dbUri), cluster, nodes++)
        .with("cache.ttlMs", 60_000)
        .withToken("admin", ADMIN, "read", "write", "admin")
        .build();
    return await(RunningService.deploy(clustered(config), config));
  }

  private Vertx clustered(AppConfig config) throws Exception {
    Vertx vertx = await(ClusterSetup.clusteredVertx(new VertxOptions(), config.cluster()));
    vertxes.add(vertx);
    return vertx;
  }

  private HttpResponse<Buffer> write(RunningService node, String flag, boolean enabled) throws Exception {
    HttpResponse<Buffer> written = await(node.request(HttpMethod.PUT, "/api/v3/features/tenant/" + flag, ADMIN, tenant)
        .sendJsonObject(new JsonObject().put("enabled", enabled)));
    assertThat(written.statusCode()).as(written.bodyAsString()).isEqualTo(200);
    return written;
  }

  private JsonObject map(RunningService node) throws Exception {
    return await(node.request(HttpMethod.GET, "/api/v3/features/tenant", ADMIN, tenant).send()).bodyAsJsonObject();
  }

  @Test
  @DisplayName("Members with the cluster's certificates hear each other's changes over TLS")
  void membersPropagateAWrite() throws Exception {
    assertThat(map(b).getBoolean("flag_001")).isFalse(); // cached on B for a minute
    write(a, "flag_001", true);
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!map(b).getBoolean("flag_001")) {
      assertThat(System.nanoTime()).as("A's write reaching B's cache").isLessThan(giveUp);
      await(vertxes.get(0).timer(5, TimeUnit.MILLISECONDS));
    }
    assertThat(map(b)).isEqualTo(Sql.expectedMap(dbUri, tenant));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"a certificate of another CA", "no TLS at all"})
  @DisplayName("A Vert.x in the same Hazelcast cluster without the cluster's certificate: no reply, no write, no change event")
  void intruderGetsNothing(String kind) throws Exception {
    UnaryOperator<TestConfig> joining = kind.startsWith("no TLS")
        ? c -> ClusterCerts.insecure(c, cluster, 2)
        : c -> ClusterCerts.shared().intruder(c, cluster, 2);
    Vertx intruder = clustered(joining.apply(TestConfig.forDatabase(dbUri)).build());
    List<ChangeEvent> overheard = new CopyOnWriteArrayList<>();
    await(ChangeEvent.subscribe(intruder, overheard::add).completion());
    DatabaseClient client = new DatabaseClient(intruder);

    assertThatThrownBy(() -> await(client.tenantMap(tenant, new Call("intruder", Deadline.in(INTRUDER_DEADLINE_MS))),
        Duration.ofMillis(INTRUDER_DEADLINE_MS + 2_000)))
        .as("a tenant's map asked by %s", kind).isNotNull();
    assertThatThrownBy(() -> await(client.setOverride(tenant, "flag_002", true, "intruder",
        new Call("intruder", Deadline.in(INTRUDER_DEADLINE_MS))), Duration.ofMillis(INTRUDER_DEADLINE_MS + 2_000)))
        .as("a write sent by %s", kind).isNotNull();
    assertThat(Sql.expectedMap(dbUri, tenant).getBoolean("flag_002")).as("the override the intruder sent").isFalse();

    // A member's write is announced to every member; B hearing it bounds the wait for the intruder.
    List<ChangeEvent> heardByB = new CopyOnWriteArrayList<>();
    await(ChangeEvent.subscribe(vertxes.get(1), heardByB::add).completion());
    write(a, "flag_003", true);
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (heardByB.stream().noneMatch(e -> "flag_003".equals(e.flag()))) {
      assertThat(System.nanoTime()).as("the change event on member B").isLessThan(giveUp);
      await(vertxes.get(0).timer(5, TimeUnit.MILLISECONDS));
    }
    // Not synchronisation: a window in which a delivery to the intruder would have arrived, as it
    // did to B (within milliseconds).
    await(vertxes.get(0).timer(1_000, TimeUnit.MILLISECONDS));
    assertThat(overheard).as("change events heard by %s", kind).isEmpty();
  }

  @Test
  @DisplayName("A write on A reaches an OFREP change stream open on B within 1 s")
  void writeOnOneNodeReachesAStreamOnTheOther() throws Exception {
    HttpResponse<Buffer> bulk = await(b.request(HttpMethod.POST, "/ofrep/v1/evaluate/flags", ADMIN, null)
        .sendJsonObject(new JsonObject().put("context", new JsonObject().put("targetingKey", tenant))));
    assertThat(bulk.statusCode()).as(bulk.bodyAsString()).isEqualTo(200);
    String uri = bulk.bodyAsJsonObject().getJsonArray("eventStreams").getJsonObject(0).getJsonObject("endpoint")
        .getString("requestUri");
    StringBuffer text = new StringBuffer();
    HttpClientResponse stream = await(vertxes.get(1).createHttpClient()
        .request(HttpMethod.GET, b.config().http().port(), "127.0.0.1", uri)
        .compose(request -> request.send().onSuccess(r -> r.handler(chunk -> text.append(chunk.toString())))));
    assertThat(stream.statusCode()).isEqualTo(200);
    long start = System.nanoTime();
    write(a, "flag_001", true);
    long giveUp = start + TimeUnit.SECONDS.toNanos(1);
    while (!text.toString().contains("refetchEvaluation")) {
      assertThat(System.nanoTime()).as("the refetch event on B's stream after a write on A").isLessThan(giveUp);
      await(vertxes.get(0).timer(5, TimeUnit.MILLISECONDS));
    }
    org.slf4j.LoggerFactory.getLogger(ClusterMembershipIT.class).info("Write on A to refetch event on B's stream: {} ms",
        (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  @DisplayName("The SQL-trace switch asked of one node reaches every node")
  void sqlTraceReachesEveryNode() throws Exception {
    assertThat(traceOn(b)).as("the trace on B before the switch").isFalse();
    HttpResponse<Buffer> on = await(a.request(HttpMethod.PUT, "/diagnostics/sql-trace", ADMIN, null)
        .sendJsonObject(new JsonObject().put("enabled", true)));
    assertThat(on.statusCode()).isEqualTo(200);
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!traceOn(b)) {
      assertThat(System.nanoTime()).as("the switch reaching node B").isLessThan(giveUp);
      await(vertxes.get(0).timer(10, TimeUnit.MILLISECONDS));
    }
    assertThat(traceOn(a)).isTrue();
  }

  private static boolean traceOn(RunningService node) throws Exception {
    HttpResponse<Buffer> diagnostics = await(node.request(HttpMethod.GET, "/diagnostics/db", ADMIN, null).send());
    assertThat(diagnostics.statusCode()).isEqualTo(200);
    return diagnostics.bodyAsJsonObject().getBoolean("sqlTrace");
  }
}
