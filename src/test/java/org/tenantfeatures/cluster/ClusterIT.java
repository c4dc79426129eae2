package org.tenantfeatures.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.client.FeatureBus;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.support.ClusterCerts;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestCluster;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;
import org.tenantfeatures.telemetry.MetricsSetup;
import org.tenantfeatures.tools.loadgen.DataSet;

/**
 * Two clustered Vert.x instances (Hazelcast on loopback, a cluster name of this run's own): node
 * A with a database verticle, node B HTTP-only, answering through A over the clustered event bus.
 * Both cache maps for a minute; changes still reach B at once.
 */
@DisplayName("A two-node cluster")
class ClusterIT {

  private static final Logger log = LoggerFactory.getLogger(ClusterIT.class);
  private static final String WRITER = "test-token-cluster-writer";
  private static final String ADMIN = "test-token-cluster-admin";

  private final List<Vertx> nodes = new ArrayList<>();
  private String dbUri;
  private String tenant;
  private RunningService a;
  private RunningService b;

  /** Tests tagged so run without the NOTIFY safety net: only the writer's own event tells B of a change. */
  private boolean listen;

  @BeforeEach
  void startCluster(TestInfo test) throws Exception {
    listen = !test.getTags().contains("no-listener");
    dbUri = TestPostgres.shared().createDatabase();
    TestCluster cluster = TestCluster.of("tf-test", 2);
    a = start(node(cluster, 0, true));
    b = start(node(cluster, 1, false));
    Seed.flags(dbUri, 5);
    tenant = UUID.randomUUID().toString();
  }

  private AppConfig node(TestCluster cluster, int node, boolean database) {
    TestConfig config = ClusterCerts.shared().member(TestConfig.forDatabase(dbUri), cluster, node)
        .with("cache.ttlMs", 60_000)
        .with("cluster.database", database)
        .with("db.listenForChanges", listen)
        // Without a listener, maps are kept as long as with one: the no-listener tests watch events alone.
        .with("cache.ttlWithoutListenerMs", listen ? 0 : 60_000);
    config.withToken("writer", WRITER, "read", "write");
    config.withToken("admin", ADMIN, "read", "write", "admin");
    return config.build();
  }

  private RunningService start(AppConfig config) throws Exception {
    // With the node's metrics (as Main starts it): the release test counts B's reads on /metrics.
    Vertx vertx = await(ClusterSetup.clusteredVertx(MetricsSetup.vertxOptions(config), config.cluster()));
    nodes.add(vertx);
    return await(RunningService.deploy(vertx, config));
  }

  @AfterEach
  void stopCluster() throws Exception {
    for (Vertx vertx : nodes) {
      await(vertx.close());
    }
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

  /** B's change events as they arrive: flag names, in order. */
  private List<String> eventsOn(Vertx node) throws Exception {
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    await(node.eventBus().<JsonObject>consumer(FeatureBus.FEATURES_CHANGED, m -> events.add(m.body().getString("flag"))).completion());
    return events;
  }

  private static int waitingOnAdvisoryLock(String dbUri) throws Exception {
    try (Connection c = Sql.connect(dbUri); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'advisory'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  @Tag("no-listener")
  @DisplayName("Publish after commit: while a write's commit is held no event is out and B keeps the committed map; right after the event B's map is fresh")
  void changeEventFollowsTheCommit() throws Exception {
    assertThat(flag(b, "")).isFalse(); // B caches the committed map for a minute
    List<String> events = eventsOn(nodes.get(1));
    // A test-only deferred trigger makes the write's COMMIT wait for an advisory lock this test holds.
    Sql.execute(dbUri, """
        CREATE FUNCTION hold_commit() RETURNS trigger AS $$
        BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NULL; END $$ LANGUAGE plpgsql;
        CREATE CONSTRAINT TRIGGER hold_commit AFTER INSERT ON audit_log DEFERRABLE INITIALLY DEFERRED
          FOR EACH ROW EXECUTE FUNCTION hold_commit();""");
    Future<HttpResponse<Buffer>> written;
    try (Connection locker = Sql.connect(dbUri); Statement s = locker.createStatement()) {
      locker.setAutoCommit(false);
      s.execute("SELECT pg_advisory_xact_lock(4242)");
      written = a.client().put("/api/v3/features/tenant/flag_001").putHeader("Authorization", "Bearer " + WRITER)
          .putHeader("X-Tenant-ID", tenant).sendJsonObject(new JsonObject().put("enabled", true));
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (waitingOnAdvisoryLock(dbUri) < 1) {
        assertThat(System.nanoTime()).as("the write never reached its commit").isLessThan(giveUp);
        Thread.sleep(10);
      }
      // Everything is written but not committed. B reads meanwhile (through A's database verticle
      // when it has heard of a change, from its cache when not): the committed map either way.
      assertThat(flag(b, "")).as("publish after commit: B's map while the commit is held").isFalse();
      assertThat(events).as("publish after commit: change events before the commit").isEmpty();
      locker.commit();
    }
    assertThat(await(written).statusCode()).isEqualTo(200);
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!events.contains("flag_001")) {
      assertThat(System.nanoTime()).as("the change event on B").isLessThan(giveUp);
      await(nodes.get(1).timer(2, TimeUnit.MILLISECONDS));
    }
    // The test's consumer and B's cache invalidation are two consumers of one publish, on contexts
    // of their own: Vert.x gives no order between them, so B may still answer from its cache for a
    // moment. Had the event gone out before the commit, B would have cached the old map again for a
    // minute; a few seconds tell the two apart.
    giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!flag(b, "")) {
      assertThat(System.nanoTime()).as("publish after commit: B's map soon after the change event").isLessThan(giveUp);
      await(nodes.get(1).timer(5, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  @Tag("no-listener")
  @DisplayName("Read-your-writes on B with every change event to B dropped: the revision alone carries it")
  void revisionAloneGivesReadYourWrites() throws Exception {
    assertThat(flag(b, "")).isFalse(); // cached on B for a minute
    // B hears of no change at all.
    nodes.get(1).eventBus().addInboundInterceptor(delivery -> {
      if (!FeatureBus.FEATURES_CHANGED.equals(delivery.message().address())) {
        delivery.next();
      }
    });
    long revision = write(true);
    assertThat(flag(b, "")).as("without minRevision B serves its cached map: no event reached it").isFalse();
    assertThat(flag(b, "?minRevision=" + revision)).as("with the write's revision").isTrue();
    assertThat(flag(b, "")).as("and B's cache now holds the fresh map").isTrue();
  }

  @Test
  @DisplayName("A targeting, segment or attribute change made on A reaches the maps B has cached within 1 s; "
      + "for a targeting or segment change B reads no tenant again")
  void releaseInputsReachTheOtherNode() throws Exception {
    JsonArray records = new JsonArray();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = new UUID(0x4100 + i, i).toString();
      ids.add(id);
      records.add(new JsonObject().put("tenantId", id).put("attributes", new JsonObject().put("plan", i % 4 == 0 ? "enterprise" : i % 4 == 1 ? "pro" : "free")));
    }
    assertThat(admin(HttpMethod.POST, "/api/v3/tenants", new JsonObject().put("tenants", records))).isEqualTo(200);
    assertThat(admin(HttpMethod.PUT, "/api/v3/segments/big", segment("enterprise"))).isEqualTo(200);
    // B caches every one, until a whole pass reads nothing: the batch's announcements may still drop a few.
    long deadline = System.nanoTime() + 10_000_000_000L;
    double misses;
    do {
      assertThat(System.nanoTime()).as("a pass of reads all from B's cache within 10 s").isLessThan(deadline);
      misses = misses(b);
      for (String id : ids) {
        map(b, id);
      }
    } while (misses(b) > misses);

    double before = misses(b);
    JsonObject targeting = new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("segment", "big").put("value", true)))
        .put("rollout", new JsonObject().put("percentage", 30));
    long targetingMs = untilCurrent(ids, () -> admin(HttpMethod.PUT, "/api/v3/flags/flag_002/targeting", targeting));
    long segmentMs = untilCurrent(ids, () -> admin(HttpMethod.PUT, "/api/v3/segments/big", segment("enterprise", "pro")));
    assertThat(misses(b) - before).as("tenants B read again for a targeting and a segment change").isZero();
    String mover = ids.get(2); // free: out of the segment
    long attributeMs = untilCurrent(List.of(mover), () -> admin(HttpMethod.PUT, "/api/v3/tenants/" + mover,
        new JsonObject().put("attributes", new JsonObject().put("plan", "enterprise"))));
    assertThat(map(b, mover).getBoolean("flag_002")).as("the tenant moved into the segment").isTrue();
    log.info("Change on A to every cached map current on B (ms): targeting {}, segment {}, attribute {}", targetingMs, segmentMs, attributeMs);
  }

  private interface Change {
    int make() throws Exception;
  }

  /**
   * Makes the change on A, then reads every tenant on B at once, round after round, for a second,
   * noting when each one's answer last changed (a round takes a few ms); then checks every last
   * answer against the map the reference evaluator computes from the database's rows (computed
   * after the window: it takes longer than the change takes to arrive). The time from the
   * change's start until the last tenant that changed on B answered its final map, in ms.
   */
  private long untilCurrent(List<String> ids, Change change) throws Exception {
    java.util.Map<String, JsonObject> last = new java.util.HashMap<>();
    for (String id : ids) {
      last.put(id, map(b, id));
    }
    long start = System.nanoTime();
    assertThat(change.make()).as("the change's status").isEqualTo(200);
    long changedBy = 0;
    long window = start + 1_000_000_000L;
    while (System.nanoTime() - window < 0) {
      List<Future<HttpResponse<Buffer>>> round = new ArrayList<>();
      for (String id : ids) {
        round.add(b.client().get("/api/v3/features/tenant").putHeader("Authorization", "Bearer " + TestConfig.ALL_TENANTS_TOKEN)
            .putHeader("X-Tenant-ID", id).send());
      }
      await(Future.all(round));
      long at = System.nanoTime() - start;
      for (int i = 0; i < ids.size(); i++) {
        JsonObject answer = round.get(i).result().bodyAsJsonObject();
        if (!answer.equals(last.put(ids.get(i), answer))) {
          changedBy = at;
        }
      }
    }
    try (DataSet data = DataSet.connect(dbUri)) {
      for (String id : ids) {
        assertThat(last.get(id)).as("B's answer for %s at the end of the second", id).isEqualTo(data.map(id));
      }
    }
    return changedBy / 1_000_000;
  }

  private static JsonObject segment(String... plans) {
    JsonArray values = new JsonArray();
    for (String plan : plans) {
      values.add(plan);
    }
    return new JsonObject().put("conditions", new JsonArray().add(new JsonObject().put("attribute", "plan").put("op", "in").put("values", values)));
  }

  private int admin(HttpMethod method, String path, JsonObject body) throws Exception {
    return await(a.client().request(method, path).putHeader("Authorization", "Bearer " + ADMIN).sendJsonObject(body)).statusCode();
  }

  private JsonObject map(RunningService node, String id) throws Exception {
    HttpResponse<Buffer> r = await(node.client().get("/api/v3/features/tenant")
        .putHeader("Authorization", "Bearer " + TestConfig.ALL_TENANTS_TOKEN).putHeader("X-Tenant-ID", id).send());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  /** The node's cache misses so far: each one a tenant's map read through A from the database. */
  private double misses(RunningService node) throws Exception {
    String scrape = await(node.client().get("/metrics").putHeader("Authorization", "Bearer " + ADMIN).send()).bodyAsString();
    return scrape.lines().filter(line -> line.startsWith("cache_gets_total{") && line.contains("result=\"miss\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }
}
