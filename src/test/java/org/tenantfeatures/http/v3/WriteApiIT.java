package org.tenantfeatures.http.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;

/**
 * Override writes: one transaction with their audit row, announced after commit, visible at once
 * through a cache with a long TTL; changes made by hand in SQL noticed through NOTIFY; bad writes
 * change nothing.
 */
@DisplayName("Override writes, audit and change events")
class WriteApiIT {

  private static final String WRITER = "test-token-writer";
  private static final String ADMIN = "test-token-catalogue";
  private static final long CACHE_TTL_MS = 60_000;

  private Vertx vertx;
  private String dbUri;
  private String tenant;
  private RunningService service;

  @BeforeEach
  void deploy(TestInfo test) throws Exception {
    dbUri = TestPostgres.shared().createDatabase();
    TestConfig config = TestConfig.forDatabase(dbUri).with("cache.ttlMs", (int) CACHE_TTL_MS)
        // "another node": a change this node is not told about, its maps kept as long all the same
        .with("db.listenForChanges", !test.getTags().contains("no-listener"))
        .with("cache.ttlWithoutListenerMs", test.getTags().contains("no-listener") ? (int) CACHE_TTL_MS : 0);
    config.withToken("writer", WRITER, "read", "write");
    config.withToken("catalogue", ADMIN, "read", "admin");
    vertx = Vertx.vertx();
    service = await(RunningService.deploy(vertx, config.build(), 32));
    Seed.flags(dbUri, 6);
    tenant = UUID.randomUUID().toString();
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }


  private Future<HttpResponse<Buffer>> put(String token, String flag, Object body) {
    return service.client().put("/api/v3/features/tenant/" + flag)
        .putHeader("Authorization", "Bearer " + token).putHeader("X-Tenant-ID", tenant)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(String.valueOf(body)));
  }

  private Future<HttpResponse<Buffer>> delete(String token, String flag) {
    return service.client().delete("/api/v3/features/tenant/" + flag)
        .putHeader("Authorization", "Bearer " + token).putHeader("X-Tenant-ID", tenant).send();
  }

  private JsonObject read() throws Exception {
    HttpResponse<Buffer> response = await(service.getFeatures(tenant));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private List<JsonObject> audit() throws Exception {
    List<JsonObject> rows = new ArrayList<>();
    try (Connection c = Sql.connect(dbUri);
         PreparedStatement s = c.prepareStatement(
             "SELECT actor, action, flag, before, after, revision FROM audit_log WHERE tenant_id = ? ORDER BY id")) {
      s.setObject(1, UUID.fromString(tenant));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(new JsonObject().put("actor", rs.getString(1)).put("action", rs.getString(2)).put("flag", rs.getString(3))
              .put("before", (Boolean) rs.getObject(4)).put("after", (Boolean) rs.getObject(5)).put("revision", rs.getLong(6)));
        }
      }
    }
    return rows;
  }

  @Test
  @DisplayName("PUT sets an override, visible at once despite the cache, audited, revision bumped; DELETE falls back to false")
  void setAndClear() throws Exception {
    assertThat(read().getBoolean("flag_001")).isFalse(); // now cached for a minute

    HttpResponse<Buffer> set = await(put(WRITER, "flag_001", new JsonObject().put("enabled", true)));
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(set.bodyAsJsonObject().getBoolean("enabled")).isTrue();
    assertThat(set.bodyAsJsonObject().fieldNames()).containsExactlyInAnyOrder("tenantId", "flag", "enabled", "revision");
    long revision = set.bodyAsJsonObject().getLong("revision");
    assertThat(read().getBoolean("flag_001")).isTrue();
    assertThat(read()).isEqualTo(Sql.expectedMap(dbUri, tenant));

    HttpResponse<Buffer> again = await(put(WRITER, "flag_001", new JsonObject().put("enabled", true)));
    assertThat(again.bodyAsJsonObject().getLong("revision")).as("idempotent: nothing changed").isEqualTo(revision);

    HttpResponse<Buffer> cleared = await(delete(WRITER, "flag_001"));
    assertThat(cleared.statusCode()).isEqualTo(200);
    assertThat(cleared.bodyAsJsonObject().getLong("revision")).isEqualTo(revision + 1);
    assertThat(read().getBoolean("flag_001")).isFalse();

    assertThat(audit()).containsExactly(
        new JsonObject().put("actor", "writer").put("action", "override.set").put("flag", "flag_001")
            .putNull("before").put("after", true).put("revision", revision),
        new JsonObject().put("actor", "writer").put("action", "override.clear").put("flag", "flag_001")
            .put("before", true).putNull("after").put("revision", revision + 1));
  }

  @Test
  @DisplayName("A flag's history for the tenant: the audit log filtered by ?flag=, newest first")
  void flagHistory() throws Exception {
    assertThat(await(put(WRITER, "flag_001", new JsonObject().put("enabled", true))).statusCode()).isEqualTo(200);
    assertThat(await(put(WRITER, "flag_002", new JsonObject().put("enabled", true))).statusCode()).isEqualTo(200);
    assertThat(await(delete(WRITER, "flag_001")).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> history = await(service.request(io.vertx.core.http.HttpMethod.GET, "/api/v3/audit?flag=flag_001", WRITER, tenant)
        .send());
    assertThat(history.statusCode()).as(history.bodyAsString()).isEqualTo(200);
    assertThat(history.bodyAsJsonObject().getJsonArray("entries").stream()
        .map(e -> ((JsonObject) e).getString("flag") + ":" + ((JsonObject) e).getString("action")).toList())
        .containsExactly("flag_001:override.clear", "flag_001:override.set");
  }

  @Test
  @DisplayName("Unknown flags, bad names, bad bodies, read-only tokens and other tenants get their 4xx and change nothing")
  void badWritesChangeNothing() throws Exception {
    JsonObject before = Sql.expectedMap(dbUri, tenant);
    record Case(Future<HttpResponse<Buffer>> call, int status, String type) {
    }
    List<Case> cases = List.of(
        new Case(put(WRITER, "no_such_flag", new JsonObject().put("enabled", true)), 404, "/problems/unknown-flag"),
        new Case(put(WRITER, "Bad%20Name", new JsonObject().put("enabled", true)), 400, "/problems/invalid-flag-name"),
        new Case(put(WRITER, "flag_001", new JsonObject().put("enabled", "yes")), 400, "/problems/bad-body"),
        new Case(put(WRITER, "flag_001", "{not json"), 400, "/problems/bad-body"),
        new Case(put(WRITER, "flag_001", "x".repeat(4096)), 413, "/problems/request-too-large"),
        new Case(put(TestConfig.ALL_TENANTS_TOKEN, "flag_001", new JsonObject().put("enabled", true)), 403, "/problems/write-required"),
        new Case(delete(TestConfig.ALL_TENANTS_TOKEN, "flag_001"), 403, "/problems/write-required"),
        new Case(service.client().put("/api/v3/features/tenant/flag_001").putHeader("Authorization", "Bearer " + TestConfig.SCOPED_TOKEN)
            .putHeader("X-Tenant-ID", tenant).sendJsonObject(new JsonObject().put("enabled", true)), 403, "/problems/tenant-forbidden"),
        new Case(delete(WRITER, "no_such_flag"), 404, "/problems/unknown-flag"));
    for (Case c : cases) {
      HttpResponse<Buffer> response = await(c.call());
      assertThat(response.statusCode()).as(c.type()).isEqualTo(c.status());
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo(c.type());
    }
    assertThat(Sql.expectedMap(dbUri, tenant)).isEqualTo(before);
    assertThat(audit()).isEmpty();
  }

  @Test
  @DisplayName("A direct SQL change of tenant_features, a new flag, and truncating either table reach a cached map within 1 s")
  void directSqlChangesAreNoticed() throws Exception {
    assertThat(read().getBoolean("flag_002")).isFalse(); // cached for a minute
    Sql.execute(dbUri, "INSERT INTO tenant_features (tenant_id, feature_id, is_enabled) "
        + "SELECT '" + tenant + "', id, true FROM feature_flags WHERE name = 'flag_002'");
    long seenMs = pollUntil(map -> map.getBoolean("flag_002", false));
    assertThat(seenMs).as("ms until a direct UPDATE was served").isLessThan(1_000);

    Sql.execute(dbUri, "INSERT INTO feature_flags (name) VALUES ('brand_new_flag')");
    long newFlagMs = pollUntil(map -> map.containsKey("brand_new_flag"));
    assertThat(newFlagMs).as("ms until a new flag was served").isLessThan(1_000);

    // TRUNCATE fires no row trigger: statement triggers announce it (before them, the cached map
    // was served until its TTL).
    Sql.execute(dbUri, "TRUNCATE tenant_features");
    long truncatedMs = pollUntil(map -> !map.getBoolean("flag_002"));
    assertThat(truncatedMs).as("ms until the truncated overrides were gone").isLessThan(1_000);
    read();
    Sql.execute(dbUri, "TRUNCATE feature_flags CASCADE");
    long noFlagsMs = pollUntil(JsonObject::isEmpty);
    assertThat(noFlagsMs).as("ms until the truncated catalogue was served").isLessThan(1_000);
    LoggerFactory.getLogger(WriteApiIT.class).info("Direct SQL change served after {} ms, new flag after {} ms, truncations after {} and {} ms",
        seenMs, newFlagMs, truncatedMs, noFlagsMs);
  }

  @Test
  @DisplayName("While the change listener's connection is down the cache does not trust itself: a change made meanwhile, never announced, is read at once")
  void listenerLossDistrustsTheCache() throws Exception {
    assertThat(read().getBoolean("flag_003")).isFalse();
    pollUntilCache("hit"); // once the seed's own change events are all heard
    Sql.execute(dbUri, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
        + service.config().db().applicationName() + "-listener'");
    long lostMs = pollUntilCache("miss");
    // The listener reconnects after 1 s: this change's notification is most likely lost with it.
    Sql.execute(dbUri, "INSERT INTO tenant_features (tenant_id, feature_id, is_enabled) "
        + "SELECT '" + tenant + "', id, true FROM feature_flags WHERE name = 'flag_003'");
    assertThat(read().getBoolean("flag_003")).as("read through, not the map cached before the loss").isTrue();
    long backMs = pollUntilCache("hit");
    assertThat(read().getBoolean("flag_003")).isTrue();
    LoggerFactory.getLogger(WriteApiIT.class).info("Listener loss: cache distrusted after {} ms, trusted again {} ms later",
        lostMs, backMs);
  }

  /** Whether a read now is a cache {@code hit} or {@code miss}, from its Server-Timing. */
  private String cacheOfRead() throws Exception {
    String timing = await(service.getFeatures(tenant)).getHeader("Server-Timing");
    return timing.contains("cache;desc=hit") ? "hit" : "miss";
  }

  /** Reads until they are cache {@code outcome}s twice in a row; how long it took. Fails after 5 s. */
  private long pollUntilCache(String outcome) throws Exception {
    long start = System.nanoTime();
    while (!(cacheOfRead().equals(outcome) && cacheOfRead().equals(outcome))) {
      assertThat((System.nanoTime() - start) / 1_000_000).as("waiting for cache " + outcome + "es").isLessThan(5_000);
      await(vertx.timer(10, TimeUnit.MILLISECONDS));
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Reads until the map satisfies {@code done}; returns how long it took. Fails after 5 s. */
  private long pollUntil(java.util.function.Predicate<JsonObject> done) throws Exception {
    long start = System.nanoTime();
    while (!done.test(read())) {
      assertThat((System.nanoTime() - start) / 1_000_000).as("waiting for the change").isLessThan(5_000);
      await(vertx.timer(10, TimeUnit.MILLISECONDS));
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  @DisplayName("Concurrent writers on one flag: every write audited exactly once, each replacing the one before, no lost update")
  void concurrentWriters() throws Exception {
    int writes = 40;
    Random random = new Random(7);
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < writes; i++) {
      calls.add(random.nextInt(4) == 0 ? delete(WRITER, "flag_003")
          : put(WRITER, "flag_003", new JsonObject().put("enabled", random.nextBoolean())));
    }
    for (HttpResponse<Buffer> r : await(Future.all(calls)).<HttpResponse<Buffer>>list()) {
      assertThat(r.statusCode()).isEqualTo(200);
    }
    List<JsonObject> rows = audit();
    // A write that left the override as it was changed nothing and left no row.
    assertThat(rows).hasSizeGreaterThan(1).hasSizeLessThanOrEqualTo(writes);
    for (int i = 1; i < rows.size(); i++) {
      assertThat(rows.get(i).getValue("before")).as("write %d replaced what write %d left", i, i - 1)
          .isEqualTo(rows.get(i - 1).getValue("after"));
      assertThat(rows.get(i).getValue("before")).as("row %d records a change", i).isNotEqualTo(rows.get(i).getValue("after"));
      assertThat(rows.get(i).getLong("revision")).isGreaterThanOrEqualTo(rows.get(i - 1).getLong("revision"));
    }
    Object last = rows.get(rows.size() - 1).getValue("after");
    assertThat(read().getBoolean("flag_003")).isEqualTo(Boolean.TRUE.equals(last));
    assertThat(Sql.expectedMap(dbUri, tenant).getBoolean("flag_003")).isEqualTo(Boolean.TRUE.equals(last));
  }

  @Test
  @DisplayName("Reads carry ETag and X-Revision; If-None-Match with the current ETag gets 304, and after a write 200 with a new ETag")
  void etags() throws Exception {
    HttpResponse<Buffer> first = await(service.getFeatures(tenant));
    String etag = first.getHeader("ETag");
    assertThat(etag).startsWith("\"r0-");
    assertThat(first.getHeader("X-Revision")).isEqualTo("0");
    HttpResponse<Buffer> same = await(service.features(TestConfig.ALL_TENANTS_TOKEN, tenant).putHeader("If-None-Match", etag).send());
    assertThat(same.statusCode()).isEqualTo(304);
    assertThat(same.body()).isNull();

    long revision = await(put(WRITER, "flag_004", new JsonObject().put("enabled", true))).bodyAsJsonObject().getLong("revision");
    HttpResponse<Buffer> changed = await(service.features(TestConfig.ALL_TENANTS_TOKEN, tenant).putHeader("If-None-Match", etag).send());
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.getHeader("ETag")).isNotEqualTo(etag).startsWith("\"r" + revision + "-");
    assertThat(changed.getHeader("X-Revision")).isEqualTo(Long.toString(revision));
    assertThat(changed.bodyAsJsonObject().getBoolean("flag_004")).isTrue();
  }

  @Test
  @Tag("no-listener")
  @DisplayName("A read asking for a minimum revision reads through a cache that has not heard of the change")
  void minimumRevisionReadsThrough() throws Exception {
    assertThat(read().getBoolean("flag_005")).isFalse(); // cached for a minute; this node hears of no change
    Sql.execute(dbUri, "INSERT INTO tenant_features (tenant_id, feature_id, is_enabled) "
        + "SELECT '" + tenant + "', id, true FROM feature_flags WHERE name = 'flag_005'");
    assertThat(read().getBoolean("flag_005")).as("without minRevision: the cached map").isFalse();
    HttpResponse<Buffer> fresh = await(service.client().get("/api/v3/features/tenant?minRevision=1")
        .putHeader("Authorization", "Bearer " + TestConfig.ALL_TENANTS_TOKEN).putHeader("X-Tenant-ID", tenant).send());
    assertThat(fresh.statusCode()).isEqualTo(200);
    assertThat(fresh.getHeader("X-Revision")).isEqualTo("1");
    assertThat(fresh.bodyAsJsonObject().getBoolean("flag_005")).isTrue();
    assertThat(read().getBoolean("flag_005")).as("the cache now holds the fresh map").isTrue();
    HttpResponse<Buffer> bad = await(service.client().get("/api/v3/features/tenant?minRevision=soon")
        .putHeader("Authorization", "Bearer " + TestConfig.ALL_TENANTS_TOKEN).putHeader("X-Tenant-ID", tenant).send());
    assertThat(bad.statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("A write whose audit row cannot be inserted answers a 5xx problem and changes nothing: override, revision, cache, events")
  void auditFailureUndoesTheWrite() throws Exception {
    assertThat(await(put(WRITER, "flag_001", new JsonObject().put("enabled", true))).statusCode()).isEqualTo(200);
    JsonObject cached = read(); // cached for a minute
    long revision = Long.parseLong(await(service.getFeatures(tenant)).getHeader("X-Revision"));
    List<JsonObject> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    await(vertx.eventBus().<JsonObject>consumer(org.tenantfeatures.client.FeatureBus.FEATURES_CHANGED, m -> events.add(m.body()))
        .completion());
    // A test-only trigger refuses the audit row of writes to flag_004, inside the write's transaction.
    Sql.execute(dbUri, """
        CREATE FUNCTION refuse_audit() RETURNS trigger AS $$
        BEGIN
          IF NEW.flag = 'flag_004' THEN RAISE EXCEPTION 'audit refused by the test'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit();""");

    HttpResponse<Buffer> refused = await(put(WRITER, "flag_004", new JsonObject().put("enabled", true)));
    assertThat(refused.statusCode()).as(refused.bodyAsString()).isBetween(500, 599);
    assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");

    assertThat(Sql.expectedMap(dbUri, tenant).getBoolean("flag_004")).as("the override in the database").isFalse();
    assertThat(await(service.getFeatures(tenant)).getHeader("X-Revision")).as("the revision").isEqualTo(Long.toString(revision));
    assertThat(read()).as("the cached map").isEqualTo(cached);
    assertThat(audit()).as("audit rows").hasSize(1);
    // A later write's event arrives; none came for the failed one before it.
    assertThat(await(put(WRITER, "flag_002", new JsonObject().put("enabled", true))).statusCode()).isEqualTo(200);
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (events.stream().noneMatch(e -> "flag_002".equals(e.getString("flag")) && tenant.equals(e.getString("tenantId")))) {
      assertThat(System.nanoTime()).as("the later write's event").isLessThan(giveUp);
      await(vertx.timer(10, TimeUnit.MILLISECONDS));
    }
    // This tenant's only: another test's write to flag_004 may still be on its way (seen with
    // notifications slowed down by 50 ms).
    assertThat(events).as("writes are atomic and announced after commit: an event for the write that failed")
        .noneMatch(e -> "flag_004".equals(e.getString("flag")) && tenant.equals(e.getString("tenantId")));
  }

  @Test
  @DisplayName("GET /api/v3/audit pages through the tenant's entries, newest first")
  void auditPages() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(await(put(WRITER, "flag_00" + i, new JsonObject().put("enabled", true))).statusCode()).isEqualTo(200);
    }
    JsonObject first = await(service.client().get("/api/v3/audit?limit=3").putHeader("Authorization", "Bearer " + TestConfig.ALL_TENANTS_TOKEN)
        .putHeader("X-Tenant-ID", tenant).send()).bodyAsJsonObject();
    assertThat(first.getJsonArray("entries")).hasSize(3);
    assertThat(first.getJsonArray("entries").getJsonObject(0).getString("flag")).isEqualTo("flag_004");
    assertThat(first.getJsonArray("entries").getJsonObject(0).getString("requestId")).isNotBlank();
    JsonObject second = await(service.client().get("/api/v3/audit?limit=3&before=" + first.getLong("next"))
        .putHeader("Authorization", "Bearer " + TestConfig.ALL_TENANTS_TOKEN).putHeader("X-Tenant-ID", tenant).send()).bodyAsJsonObject();
    assertThat(second.getJsonArray("entries")).hasSize(2);
    assertThat(second.getJsonArray("entries").getJsonObject(1).getString("flag")).isEqualTo("flag_000");
    assertThat(second.getValue("next")).isNull();
    HttpResponse<Buffer> bad = await(service.client().get("/api/v3/audit?limit=0").putHeader("Authorization", "Bearer " + TestConfig.ALL_TENANTS_TOKEN)
        .putHeader("X-Tenant-ID", tenant).send());
    assertThat(bad.statusCode()).isEqualTo(400);
  }

  private Future<HttpResponse<Buffer>> flags(io.vertx.core.http.HttpMethod method, String path, String token, JsonObject body) {
    var request = service.client().request(method, "/api/v3/flags" + path).putHeader("Authorization", "Bearer " + token);
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  @Test
  @DisplayName("The flag catalogue: list, create (409 for a taken name), describe, delete with its overrides; admin only; audited")
  void flagCatalogue() throws Exception {
    var GET = io.vertx.core.http.HttpMethod.GET;
    var POST = io.vertx.core.http.HttpMethod.POST;
    var PATCH = io.vertx.core.http.HttpMethod.PATCH;
    var DELETE = io.vertx.core.http.HttpMethod.DELETE;
    assertThat(await(flags(GET, "", TestConfig.ALL_TENANTS_TOKEN, null)).bodyAsJsonObject().getJsonArray("flags")).hasSize(6);

    HttpResponse<Buffer> created = await(flags(POST, "", ADMIN, new JsonObject().put("name", "checkout.v2").put("description", "New checkout")));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(read().getMap()).containsEntry("checkout.v2", false); // every tenant's cached map knows the new flag
    assertThat(await(flags(POST, "", ADMIN, new JsonObject().put("name", "checkout.v2"))).statusCode()).isEqualTo(409);
    assertThat(await(flags(POST, "", ADMIN, new JsonObject().put("name", "Checkout V2"))).statusCode()).isEqualTo(400);
    assertThat(await(flags(POST, "", WRITER, new JsonObject().put("name", "other"))).statusCode()).isEqualTo(403);
    assertThat(await(flags(POST, "", ADMIN, null)).statusCode()).as("no JSON body").isEqualTo(415);

    HttpResponse<Buffer> described = await(flags(PATCH, "/checkout.v2", ADMIN, new JsonObject().put("description", "Checkout, second try")));
    assertThat(described.statusCode()).isEqualTo(200);
    assertThat(await(flags(PATCH, "/nothing", ADMIN, new JsonObject().put("description", "x"))).statusCode()).isEqualTo(404);

    assertThat(await(put(WRITER, "checkout.v2", new JsonObject().put("enabled", true))).statusCode()).isEqualTo(200);
    assertThat(read().getMap()).containsEntry("checkout.v2", true);
    assertThat(await(flags(DELETE, "/checkout.v2", ADMIN, null)).statusCode()).isEqualTo(200);
    assertThat(read().getMap()).doesNotContainKey("checkout.v2");
    assertThat(Sql.expectedMap(dbUri, tenant).getMap()).doesNotContainKey("checkout.v2");
    assertThat(await(flags(DELETE, "/checkout.v2", ADMIN, null)).statusCode()).isEqualTo(404);

    List<String> catalogueAudit = new ArrayList<>();
    try (Connection c = Sql.connect(dbUri);
         PreparedStatement s = c.prepareStatement("SELECT action FROM audit_log WHERE tenant_id IS NULL ORDER BY id");
         ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        catalogueAudit.add(rs.getString(1));
      }
    }
    assertThat(catalogueAudit).containsExactly("flag.create", "flag.describe", "flag.delete");
  }
}
