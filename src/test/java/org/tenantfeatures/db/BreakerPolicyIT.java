package org.tenantfeatures.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.ServiceUnderTest;
import org.tenantfeatures.support.Sql;

/**
 * The breaker's failure policy: only the database's own failures count. A caller's mistakes
 * (an unknown flag, a taken name) and a saturated pool (this service's own load) must leave it
 * closed, or one client's typos or a burst of traffic would turn every other client away.
 */
@DisplayName("Circuit breaker policy")
class BreakerPolicyIT {

  private static final String ADMIN = "breaker-admin-token";
  private static final int MAX_FAILURES = 3;

  private ServiceUnderTest node;
  private final String tenant = UUID.randomUUID().toString();

  @BeforeEach
  void deploy() throws Exception {
    node = ServiceUnderTest.start(16, c -> c
        .with("db.breaker.maxFailures", MAX_FAILURES)
        .with("db.breaker.resetTimeoutMs", 60_000)
        .with("db.pool.maxSize", 1)
        .with("db.pool.writeMaxSize", 1)
        .with("db.pool.maxWaitQueueSize", 0)
        .with("cache.ttlMs", 0)
        .withToken("admin", ADMIN, "read", "write", "admin"));
    Seed.flags(node.dbUri(), 3);
  }

  @AfterEach
  void close() throws Exception {
    node.close();
  }


  private Future<HttpResponse<Buffer>> put(String flag) {
    return node.service().client().put("/api/v3/features/tenant/" + flag).putHeader("Authorization", "Bearer " + ADMIN)
        .putHeader("X-Tenant-ID", tenant).sendJsonObject(new JsonObject().put("enabled", true));
  }

  private JsonObject breaker() throws Exception {
    HttpResponse<Buffer> diagnostics = await(node.service().client().get("/diagnostics/db").putHeader("Authorization", "Bearer " + ADMIN).send());
    assertThat(diagnostics.statusCode()).isEqualTo(200);
    return diagnostics.bodyAsJsonObject().getJsonObject("breaker");
  }

  private String metrics() throws Exception {
    return await(node.service().client().get("/metrics").send()).bodyAsString();
  }

  private void assertClosedAndServing(String after) throws Exception {
    JsonObject breaker = breaker();
    assertThat(breaker.getString("state")).as("breaker policy: the breaker after %s", after).isEqualTo("CLOSED");
    assertThat(breaker.getInteger("failureCount")).as("breaker policy: failures counted after %s", after).isZero();
    assertThat(metrics()).as("transitions after %s", after).doesNotContain("tenant_features_breaker_transitions_total{to=\"open\"}");
    assertThat(await(node.service().getFeatures(tenant)).statusCode()).as("a read right after %s", after).isEqualTo(200);
  }

  @Test
  @DisplayName("Twice maxFailures unknown flags and taken names leave the breaker closed with no failure counted")
  void callerErrorsDoNotCount() throws Exception {
    for (int i = 0; i < 2 * MAX_FAILURES; i++) {
      HttpResponse<Buffer> unknown = await(put("no_such_flag_" + i));
      assertThat(unknown.statusCode()).as("breaker policy: an unknown flag is the caller's 404, never a reason to open (%s)",
          unknown.bodyAsString()).isEqualTo(404);
      assertThat(unknown.bodyAsJsonObject().getString("type")).isEqualTo("/problems/unknown-flag");
      HttpResponse<Buffer> taken = await(node.service().client().post("/api/v3/flags").putHeader("Authorization", "Bearer " + ADMIN)
          .sendJsonObject(new JsonObject().put("name", "flag_000")));
      assertThat(taken.statusCode()).as("breaker policy: a taken name is the caller's 409, never a reason to open (%s)",
          taken.bodyAsString()).isEqualTo(409);
      assertThat(taken.bodyAsJsonObject().getString("type")).isEqualTo("/problems/flag-exists");
    }
    assertClosedAndServing("caller errors");
  }

  @Test
  @DisplayName("Twice maxFailures writes refused by a saturated write pool are pool-exhausted and leave the breaker closed")
  void saturatedPoolDoesNotCount() throws Exception {
    assertThat(await(put("flag_001")).statusCode()).isEqualTo(200); // the tenant's revision row exists
    try (Connection locker = Sql.connect(node.dbUri()); Statement s = locker.createStatement()) {
      locker.setAutoCommit(false);
      s.execute("SELECT revision FROM tenant_revisions WHERE tenant_id = '" + tenant + "' FOR UPDATE");
      // The write pool's one connection waits on the lock in this write ...
      Future<HttpResponse<Buffer>> held = put("flag_002");
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (waitingOnLock() < 1) {
        assertThat(System.nanoTime()).as("the held write never took the write pool's connection").isLessThan(giveUp);
        Thread.sleep(20);
      }
      // ... so every other write now is refused at once (reads have connections of their own).
      List<HttpResponse<Buffer>> refused = new ArrayList<>();
      for (int i = 0; i < 2 * MAX_FAILURES; i++) {
        refused.add(await(put("flag_003")));
      }
      assertThat(await(node.service().getFeatures(tenant)).statusCode()).as("a read beside the saturated write pool").isEqualTo(200);
      for (HttpResponse<Buffer> r : refused) {
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.bodyAsJsonObject().getString("type"))
            .as("breaker policy: a saturated pool answers pool-exhausted, and never opens the breaker").isEqualTo("/problems/pool-exhausted");
      }
      locker.rollback();
      assertThat(await(held).statusCode()).isEqualTo(200);
    }
    assertClosedAndServing("a saturated pool");
  }

  /** Backends of this service waiting on a lock (the write pool's one connection, held by the write). */
  private int waitingOnLock() {
    return Sql.backends(node.dbUri(), node.service().config().db().applicationName(), "AND wait_event_type = 'Lock'");
  }
}
