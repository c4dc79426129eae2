package org.tenantfeatures.http.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import com.google.common.hash.Hashing;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;
import org.tenantfeatures.telemetry.MetricsSetup;

/**
 * The release model through the API, on a real database, behind a cache that keeps maps for a
 * minute: a flag's default, segment rules and rollout, segments, tenants' attributes; every change
 * visible at once, audited with its before and after; bad input refused and changing nothing.
 * Expected values are written out here, buckets computed with Guava's murmur3, not the service's.
 */
@DisplayName("The release model: targeting, segments, tenants' attributes")
class ReleaseModelIT {

  private static final String ADMIN = "test-token-release-admin";
  private static final String WRITER = "test-token-release-writer";
  private static final String OTHER = "test-token-release-other";

  private Vertx vertx;
  private String dbUri;
  private String tenant;
  private RunningService service;

  @BeforeEach
  void deploy() throws Exception {
    dbUri = TestPostgres.shared().createDatabase();
    tenant = UUID.randomUUID().toString();
    TestConfig config = TestConfig.forDatabase(dbUri).with("cache.ttlMs", 60_000);
    config.withToken("release-admin", ADMIN, "read", "write", "admin");
    config.withScopedToken("release-writer", WRITER, List.of(tenant), "read", "write", "admin");
    config.withScopedToken("release-other", OTHER, List.of(UUID.randomUUID().toString()), "read", "write");
    AppConfig built = config.build();
    // With the node's metrics (as Main starts it): the catalogue test counts reads on /metrics.
    vertx = Vertx.vertx(MetricsSetup.vertxOptions(built));
    service = await(RunningService.deploy(vertx, built, 16));
    Seed.flags(dbUri, 5);
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, String token, Object body) throws Exception {
    var request = service.request(method, path, token, tenant);
    if (body == null) {
      return await(request.send());
    }
    return await(request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(String.valueOf(body))));
  }

  private JsonObject map() throws Exception {
    HttpResponse<Buffer> response = await(service.getFeatures(tenant));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static int bucket(String salt, String tenantId) {
    int hash = Hashing.murmur3_32_fixed().hashString(salt + ":" + tenantId, StandardCharsets.UTF_8).asInt();
    return (int) (Integer.toUnsignedLong(hash) % 10_000);
  }

  private static JsonObject segmentOf(String attribute, String value) {
    return new JsonObject().put("description", "by " + attribute).put("conditions", new JsonArray().add(
        new JsonObject().put("attribute", attribute).put("op", "in").put("values", new JsonArray().add(value))));
  }

  @Test
  @DisplayName("Default, rule and rollout decide what no override does, each visible at once and audited with before and after")
  void targetingDecides() throws Exception {
    assertThat(map().getBoolean("flag_001")).isFalse(); // cached for a minute from here

    HttpResponse<Buffer> defaulted = send(HttpMethod.PUT, "/api/v3/flags/flag_001/targeting", ADMIN, new JsonObject().put("default", true));
    assertThat(defaulted.statusCode()).as(defaulted.bodyAsString()).isEqualTo(200);
    assertThat(map().getBoolean("flag_001")).isTrue();

    assertThat(send(HttpMethod.PUT, "/api/v3/segments/eu", ADMIN, segmentOf("region", "eu")).statusCode()).isEqualTo(200);
    JsonObject rule = new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("segment", "eu").put("value", true)));
    assertThat(send(HttpMethod.PUT, "/api/v3/flags/flag_002/targeting", ADMIN, rule).statusCode()).isEqualTo(200);
    assertThat(map().getBoolean("flag_002")).isFalse();
    HttpResponse<Buffer> record = send(HttpMethod.PUT, "/api/v3/tenants/" + tenant, WRITER,
        new JsonObject().put("name", "Acme").put("attributes", new JsonObject().put("region", "eu").put("seats", 120)));
    assertThat(record.statusCode()).as(record.bodyAsString()).isEqualTo(200);
    long revision = record.bodyAsJsonObject().getLong("revision");
    assertThat(revision).isPositive();
    assertThat(map().getBoolean("flag_002")).as("the attribute change is seen at once").isTrue();

    // A percentage this tenant's bucket is just inside of, then just outside of.
    int bucket = bucket("flag_003", tenant);
    JsonObject inside = new JsonObject().put("rollout", new JsonObject().put("percentage", (bucket + 1) / 100.0));
    assertThat(send(HttpMethod.PUT, "/api/v3/flags/flag_003/targeting", ADMIN, inside).statusCode()).isEqualTo(200);
    assertThat(map().getBoolean("flag_003")).as("bucket %d below %s", bucket, inside).isTrue();
    JsonObject outside = new JsonObject().put("rollout", new JsonObject().put("percentage", bucket / 100.0));
    assertThat(send(HttpMethod.PUT, "/api/v3/flags/flag_003/targeting", ADMIN, outside).statusCode()).isEqualTo(200);
    assertThat(map().getBoolean("flag_003")).as("bucket %d not below %s", bucket, outside).isFalse();

    // The override still comes first.
    send(HttpMethod.PUT, "/api/v3/features/tenant/flag_001", WRITER, new JsonObject().put("enabled", false));
    assertThat(map().getBoolean("flag_001")).isFalse();

    JsonObject flag = send(HttpMethod.GET, "/api/v3/flags/flag_003", ADMIN, null).bodyAsJsonObject();
    assertThat(flag.getJsonObject("targeting").getJsonObject("rollout").getDouble("percentage")).isEqualTo(bucket / 100.0);
    try (Connection c = Sql.connect(dbUri); PreparedStatement s = c.prepareStatement(
        "SELECT before_json::text, after_json::text FROM audit_log WHERE action = 'flag.targeting' AND flag = 'flag_003' ORDER BY id")) {
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isNull();
        assertThat(new JsonObject(rs.getString(2)).getJsonObject("rollout")).isNotNull();
        assertThat(rs.next()).isTrue();
        assertThat(new JsonObject(rs.getString(1)).getJsonObject("rollout").getDouble("percentage")).isEqualTo((bucket + 1) / 100.0);
        assertThat(new JsonObject(rs.getString(2)).getJsonObject("rollout").getDouble("percentage")).isEqualTo(bucket / 100.0);
      }
    }
    JsonObject rolloutWhy = send(HttpMethod.GET, "/api/v3/features/tenant/flag_003/explain", WRITER, null).bodyAsJsonObject();
    assertThat(rolloutWhy.getString("reason")).isEqualTo("default");
    assertThat(rolloutWhy.getInteger("bucket")).isEqualTo(bucket);
    assertThat(rolloutWhy.getDouble("percentage")).isEqualTo(bucket / 100.0);
    assertThat(rolloutWhy.getJsonObject("lastChange").getString("action")).isEqualTo("flag.targeting");
    assertThat(rolloutWhy.getJsonObject("lastChange").getString("actor")).isEqualTo("release-admin");
    JsonObject segmentWhy = send(HttpMethod.GET, "/api/v3/features/tenant/flag_002/explain", WRITER, null).bodyAsJsonObject();
    assertThat(segmentWhy.getString("reason")).isEqualTo("segment");
    assertThat(segmentWhy.getString("segment")).isEqualTo("eu");
    assertThat(segmentWhy.getLong("revision")).as("the attributes, then the override of flag_001").isEqualTo(revision + 1);
    assertThat(segmentWhy.getJsonObject("lastChange").getString("action")).as("the newest of its inputs").isEqualTo("tenant.put");
    JsonObject overrideWhy = send(HttpMethod.GET, "/api/v3/features/tenant/flag_001/explain", WRITER, null).bodyAsJsonObject();
    assertThat(overrideWhy.getString("reason")).isEqualTo("override");
    assertThat(overrideWhy.getBoolean("value")).isFalse();
    assertThat(send(HttpMethod.GET, "/api/v3/features/tenant/flag_001/explain", OTHER, null).statusCode())
        .as("another tenant's explanation").isEqualTo(403);

    // OFREP names the same reasons: the segment's rule a match, the default static, the override a match.
    send(HttpMethod.PUT, "/api/v3/flags/flag_003/targeting", ADMIN, inside);
    JsonObject ofrep = await(service.request(HttpMethod.POST, "/ofrep/v1/evaluate/flags", WRITER, null)
        .sendJsonObject(new JsonObject().put("context", new JsonObject().put("targetingKey", tenant)))).bodyAsJsonObject();
    java.util.Map<String, JsonObject> byKey = new java.util.HashMap<>();
    ofrep.getJsonArray("flags").forEach(f -> byKey.put(((JsonObject) f).getString("key"), (JsonObject) f));
    assertThat(byKey.get("flag_001").getString("reason")).isEqualTo("TARGETING_MATCH");
    assertThat(byKey.get("flag_002").getString("reason")).isEqualTo("TARGETING_MATCH");
    assertThat(byKey.get("flag_002").getJsonObject("metadata").getString("segment")).isEqualTo("eu");
    assertThat(byKey.get("flag_003").getString("reason")).isEqualTo("SPLIT");
    assertThat(byKey.get("flag_003").getBoolean("value")).isTrue();
    assertThat(byKey.get("flag_004").getString("reason")).isEqualTo("STATIC");
    JsonObject tenantRecord = send(HttpMethod.GET, "/api/v3/tenants/" + tenant, WRITER, null).bodyAsJsonObject();
    assertThat(tenantRecord.getString("name")).isEqualTo("Acme");
    assertThat(tenantRecord.getJsonObject("attributes").getInteger("seats")).isEqualTo(120);
  }

  @Test
  @DisplayName("A segment in use cannot be deleted, a rule cannot name a missing one; bad definitions are refused and change nothing")
  void refusals() throws Exception {
    send(HttpMethod.PUT, "/api/v3/segments/big", ADMIN, segmentOf("plan", "enterprise"));
    JsonObject rule = new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("segment", "big").put("value", true)));
    send(HttpMethod.PUT, "/api/v3/flags/flag_001/targeting", ADMIN, rule);

    HttpResponse<Buffer> inUse = send(HttpMethod.DELETE, "/api/v3/segments/big", ADMIN, null);
    assertThat(inUse.statusCode()).isEqualTo(409);
    assertThat(inUse.bodyAsJsonObject().getString("type")).endsWith("segment-in-use");
    assertThat(inUse.bodyAsJsonObject().getString("detail")).contains("flag_001");
    JsonObject segment = send(HttpMethod.GET, "/api/v3/segments/big", ADMIN, null).bodyAsJsonObject();
    assertThat(segment.getJsonArray("flags")).containsExactly("flag_001");

    JsonObject missing = new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("segment", "nope").put("value", true)));
    HttpResponse<Buffer> refused = send(HttpMethod.PUT, "/api/v3/flags/flag_002/targeting", ADMIN, missing);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("nope");

    for (Object bad : List.of(new JsonObject().put("rollout", new JsonObject().put("percentage", 12.345)),
        new JsonObject().put("rollout", new JsonObject().put("percentage", 100.01)),
        new JsonObject().put("rollout", new JsonObject().put("percentage", -1)),
        new JsonObject().put("default", "yes"), new JsonObject().put("colour", "red"))) {
      HttpResponse<Buffer> response = send(HttpMethod.PUT, "/api/v3/flags/flag_002/targeting", ADMIN, bad);
      assertThat(response.statusCode()).as(String.valueOf(bad)).isEqualTo(400);
    }
    HttpResponse<Buffer> badAttributes = send(HttpMethod.PUT, "/api/v3/tenants/" + tenant, WRITER,
        new JsonObject().put("attributes", new JsonObject().put("plan", new JsonObject())));
    assertThat(badAttributes.statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.GET, "/api/v3/tenants/" + tenant, WRITER, null).statusCode()).as("no record made").isEqualTo(404);
    JsonObject flag = send(HttpMethod.GET, "/api/v3/flags/flag_002", ADMIN, null).bodyAsJsonObject();
    assertThat(flag.getJsonObject("targeting").getJsonArray("rules")).isEmpty();
    try (Connection c = Sql.connect(dbUri); PreparedStatement s = c.prepareStatement(
        "SELECT count(*) FROM audit_log WHERE flag = 'flag_002' OR tenant_id = ?::uuid")) {
      s.setString(1, tenant);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).as("nothing refused is audited").isZero();
      }
    }
  }

  @Test
  @DisplayName("The catalogue's changes are listed newest first with who made them, before and after, by flag or segment, "
      + "to a token on all tenants only")
  void catalogueAudit() throws Exception {
    assertThat(send(HttpMethod.PUT, "/api/v3/segments/eu", ADMIN, segmentOf("region", "eu")).statusCode()).isEqualTo(200);
    JsonObject rule = new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("segment", "eu").put("value", true)));
    assertThat(send(HttpMethod.PUT, "/api/v3/flags/flag_002/targeting", ADMIN, rule).statusCode()).isEqualTo(200);
    JsonObject rollout = rule.copy().put("rollout", new JsonObject().put("percentage", 5));
    assertThat(send(HttpMethod.PUT, "/api/v3/flags/flag_002/targeting", ADMIN, rollout).statusCode()).isEqualTo(200);
    assertThat(send(HttpMethod.DELETE, "/api/v3/segments/eu", ADMIN, null).statusCode()).as("in use: refused, not audited").isEqualTo(409);

    JsonArray all = send(HttpMethod.GET, "/api/v3/audit/catalogue", ADMIN, null).bodyAsJsonObject().getJsonArray("entries");
    assertThat(all.stream().map(e -> ((JsonObject) e).getString("action")).toList())
        .containsExactly("flag.targeting", "flag.targeting", "segment.put");
    JsonObject newest = all.getJsonObject(0);
    assertThat(newest.getString("actor")).isEqualTo("release-admin");
    assertThat(newest.getString("flag")).isEqualTo("flag_002");
    assertThat(newest.getJsonObject("beforeJson").getJsonArray("rules")).isEqualTo(rule.getJsonArray("rules"));
    assertThat(newest.getJsonObject("afterJson").getJsonObject("rollout").getNumber("percentage").intValue()).isEqualTo(5);
    assertThat(newest.getString("requestId")).isNotBlank();
    assertThat(all.getJsonObject(2).getString("segment")).isEqualTo("eu");
    assertThat(all.getJsonObject(2).getValue("beforeJson")).as("a new segment had no definition before").isNull();

    assertThat(send(HttpMethod.GET, "/api/v3/audit/catalogue?segment=eu", ADMIN, null).bodyAsJsonObject().getJsonArray("entries"))
        .hasSize(1);
    JsonObject first = send(HttpMethod.GET, "/api/v3/audit/catalogue?flag=flag_002&limit=1", ADMIN, null).bodyAsJsonObject();
    assertThat(first.getJsonArray("entries")).hasSize(1);
    JsonObject second = send(HttpMethod.GET, "/api/v3/audit/catalogue?flag=flag_002&limit=1&before=" + first.getLong("next"), ADMIN, null)
        .bodyAsJsonObject();
    assertThat(second.getJsonArray("entries").getJsonObject(0).getLong("id")).isLessThan(first.getJsonArray("entries").getJsonObject(0).getLong("id"));
    assertThat(send(HttpMethod.GET, "/api/v3/audit/catalogue", WRITER, null).statusCode()).as("a token on one tenant").isEqualTo(403);
    assertThat(send(HttpMethod.GET, "/api/v3/audit/catalogue?segment=Not-A-Name", ADMIN, null).statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.GET, "/api/v3/audit/catalogue?before=x", ADMIN, null).statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("A token scoped to one tenant cannot change targeting or segments, nor read another tenant's record")
  void scopedTokens() throws Exception {
    assertThat(send(HttpMethod.PUT, "/api/v3/flags/flag_001/targeting", WRITER, new JsonObject().put("default", true)).statusCode())
        .isEqualTo(403);
    assertThat(send(HttpMethod.PUT, "/api/v3/segments/mine", WRITER, segmentOf("plan", "x")).statusCode()).isEqualTo(403);
    assertThat(send(HttpMethod.GET, "/api/v3/segments", WRITER, null).statusCode()).isEqualTo(403);
    send(HttpMethod.PUT, "/api/v3/tenants/" + tenant, WRITER, new JsonObject().put("attributes", new JsonObject().put("plan", "x")));
    assertThat(send(HttpMethod.GET, "/api/v3/tenants/" + tenant, OTHER, null).statusCode()).isEqualTo(403);
    assertThat(send(HttpMethod.PUT, "/api/v3/tenants/" + tenant, OTHER, new JsonObject()).statusCode()).isEqualTo(403);
    assertThat(map()).isEqualTo(new JsonObject().put("flag_000", false).put("flag_001", false).put("flag_002", false)
        .put("flag_003", false).put("flag_004", false));
  }

  @Test
  @DisplayName("A batch of records is one transaction; tenants are searched by name and attribute; a flag's population is counted "
      + "and a targeting change previewed, against a reference evaluation written out here")
  void batchSearchAndPopulation() throws Exception {
    JsonArray records = new JsonArray();
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = new UUID(0x1000 + i, i).toString();
      ids.add(id);
      records.add(new JsonObject().put("tenantId", id).put("name", (i % 2 == 0 ? "Acme " : "Zed ") + i)
          .put("attributes", new JsonObject().put("plan", i % 4 == 0 ? "enterprise" : "free").put("seats", i * 10)
              .put("tags", new JsonArray().add(i % 3 == 0 ? "beta" : "stable"))));
    }
    HttpResponse<Buffer> batch = send(HttpMethod.POST, "/api/v3/tenants", ADMIN, new JsonObject().put("tenants", records));
    assertThat(batch.statusCode()).as(batch.bodyAsString()).isEqualTo(200);
    assertThat(batch.bodyAsJsonObject().getInteger("changed")).isEqualTo(40);
    assertThat(send(HttpMethod.POST, "/api/v3/tenants", ADMIN, new JsonObject().put("tenants", records)).bodyAsJsonObject()
        .getInteger("changed")).as("the same batch again changes nothing").isZero();

    // All or none: one bad record refuses the whole batch.
    JsonArray withBad = records.copy();
    withBad.getJsonObject(0).put("name", "Renamed");
    withBad.add(new JsonObject().put("tenantId", UUID.randomUUID().toString()).put("attributes", new JsonObject().put("x", new JsonObject())));
    assertThat(send(HttpMethod.POST, "/api/v3/tenants", ADMIN, new JsonObject().put("tenants", withBad)).statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.GET, "/api/v3/tenants/" + ids.get(0), ADMIN, null).bodyAsJsonObject().getString("name")).isEqualTo("Acme 0");
    assertThat(send(HttpMethod.POST, "/api/v3/tenants", WRITER, new JsonObject().put("tenants", records)).statusCode())
        .as("a batch takes a token of all tenants").isEqualTo(403);

    JsonArray acme = send(HttpMethod.GET, "/api/v3/tenants?prefix=acme&limit=500", ADMIN, null).bodyAsJsonObject().getJsonArray("tenants");
    assertThat(acme).hasSize(20);
    JsonArray enterprise = send(HttpMethod.GET, "/api/v3/tenants?attribute=plan:enterprise&limit=500", ADMIN, null)
        .bodyAsJsonObject().getJsonArray("tenants");
    assertThat(enterprise).hasSize(10);
    assertThat(send(HttpMethod.GET, "/api/v3/tenants?attribute=tags:beta&limit=500", ADMIN, null).bodyAsJsonObject()
        .getJsonArray("tenants")).as("a string matches a list holding it").hasSize(14);
    assertThat(send(HttpMethod.GET, "/api/v3/tenants?attribute=seats:120&limit=500", ADMIN, null).bodyAsJsonObject()
        .getJsonArray("tenants")).hasSize(1);

    // Enterprise tenants by rule, 30 % of the rest by rollout: counted, listed, previewed.
    send(HttpMethod.PUT, "/api/v3/segments/enterprise", ADMIN, segmentOf("plan", "enterprise"));
    JsonObject targeting = new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("segment", "enterprise").put("value", true)))
        .put("rollout", new JsonObject().put("percentage", 30));
    HttpResponse<Buffer> preview = send(HttpMethod.PUT, "/api/v3/flags/flag_002/targeting?dryRun=true", ADMIN, targeting);
    assertThat(preview.statusCode()).as(preview.bodyAsString()).isEqualTo(200);
    int rolledOut = 0;
    for (int i = 0; i < 40; i++) {
      if (i % 4 != 0 && bucket("flag_002", ids.get(i)) < 3000) {
        rolledOut++;
      }
    }
    assertThat(preview.bodyAsJsonObject().getLong("changes")).isEqualTo(10 + rolledOut);
    assertThat(preview.bodyAsJsonObject().getLong("toFalse")).isZero();
    assertThat(send(HttpMethod.GET, "/api/v3/flags/flag_002", ADMIN, null).bodyAsJsonObject().getJsonObject("targeting")
        .getJsonArray("rules")).as("a dry run writes nothing").isEmpty();

    send(HttpMethod.PUT, "/api/v3/flags/flag_002/targeting", ADMIN, targeting);
    JsonObject population = send(HttpMethod.GET, "/api/v3/flags/flag_002/tenants?value=true&reason=rollout&limit=500", ADMIN, null)
        .bodyAsJsonObject();
    assertThat(population.getLong("known")).isEqualTo(40);
    JsonObject counts = population.getJsonObject("counts");
    assertThat(counts.getJsonObject("true").getLong("segment")).isEqualTo(10);
    assertThat(counts.getJsonObject("true").getLong("rollout")).isEqualTo(rolledOut);
    assertThat(counts.getJsonObject("false").getLong("default")).isEqualTo(30 - rolledOut);
    assertThat(population.getJsonArray("tenants")).hasSize(rolledOut);
    JsonObject firstPage = send(HttpMethod.GET, "/api/v3/flags/flag_002/tenants?limit=7", ADMIN, null).bodyAsJsonObject();
    assertThat(firstPage.getJsonArray("tenants")).hasSize(7);
    JsonObject secondPage = send(HttpMethod.GET, "/api/v3/flags/flag_002/tenants?limit=7&after=" + firstPage.getString("next"), ADMIN, null)
        .bodyAsJsonObject();
    assertThat(secondPage.getJsonArray("tenants").getJsonObject(0).getString("tenantId")).isEqualTo(ids.get(7));
    assertThat(send(HttpMethod.GET, "/api/v3/flags/flag_002/tenants", WRITER, null).statusCode()).isEqualTo(403);
    assertThat(send(HttpMethod.GET, "/api/v3/flags/flag_002/tenants?reason=luck", ADMIN, null).statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("A rollout raised from 10 % to 20 % re-evaluates the cached tenants from their kept inputs: no tenant read again, "
      + "one catalogue read, every map equal to the reference evaluation of the database's rows")
  void catalogueChangeReadsNoTenant() throws Exception {
    JsonArray records = new JsonArray();
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String id = new UUID(0x2000 + i, i).toString();
      ids.add(id);
      records.add(new JsonObject().put("tenantId", id).put("attributes", new JsonObject().put("plan", i % 5 == 0 ? "enterprise" : "free")));
    }
    assertThat(send(HttpMethod.POST, "/api/v3/tenants", ADMIN, new JsonObject().put("tenants", records)).statusCode()).isEqualTo(200);
    send(HttpMethod.PUT, "/api/v3/segments/enterprise", ADMIN, segmentOf("plan", "enterprise"));
    JsonObject ten = new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("segment", "enterprise").put("value", true)))
        .put("rollout", new JsonObject().put("percentage", 10));
    send(HttpMethod.PUT, "/api/v3/flags/flag_001/targeting", ADMIN, ten);
    // Cached, and settled: the batch's own announcements may still drop a few, so read until a
    // whole pass reads nothing from the database.
    long deadline = System.nanoTime() + 10_000_000_000L;
    double misses;
    do {
      assertThat(System.nanoTime()).as("a pass of reads all from the cache within 10 s").isLessThan(deadline);
      misses = metric("cache_gets_total{", "result=\"miss\"");
      for (String id : ids) {
        await(service.getFeatures(id));
      }
    } while (metric("cache_gets_total{", "result=\"miss\"") > misses);

    double missesBefore = metric("cache_gets_total{", "result=\"miss\"");
    double catalogueReadsBefore = metric("tenant_features_catalogue_reads_total", "");
    double reevaluationsBefore = metric("tenant_features_cache_reevaluations_total", "");
    HttpResponse<Buffer> raised = send(HttpMethod.PUT, "/api/v3/flags/flag_001/targeting", ADMIN,
        ten.copy().put("rollout", new JsonObject().put("percentage", 20)));
    assertThat(raised.statusCode()).isEqualTo(200);
    int on = 0;
    for (String id : ids) {
      JsonObject map = await(service.getFeatures(id)).bodyAsJsonObject();
      assertThat(map).as("tenant %s", id).isEqualTo(Sql.expectedMap(dbUri, id));
      on += map.getBoolean("flag_001") ? 1 : 0;
    }
    assertThat(metric("cache_gets_total{", "result=\"miss\"") - missesBefore).as("tenants read from the database").isZero();
    assertThat(metric("tenant_features_catalogue_reads_total", "") - catalogueReadsBefore).as("catalogue reads").isBetween(1.0, 5.0);
    assertThat(metric("tenant_features_cache_reevaluations_total", "") - reevaluationsBefore).isGreaterThanOrEqualTo(200);
    assertThat(on).as("the enterprise fifth and about a fifth of the rest").isBetween(40 + 16, 40 + 48);
  }

  /** The sum of the node's series whose lines start with {@code name} and contain {@code label}. */
  private double metric(String name, String label) throws Exception {
    String scrape = await(service.client().get("/metrics").send()).bodyAsString();
    return scrape.lines().filter(line -> line.startsWith(name) && line.contains(label))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  @DisplayName("Attributes changed by hand in SQL reach the cached map through the database's announcement")
  void attributesBySql() throws Exception {
    send(HttpMethod.PUT, "/api/v3/segments/beta", ADMIN, new JsonObject().put("conditions", new JsonArray().add(
        new JsonObject().put("attribute", "beta").put("op", "in").put("values", new JsonArray().add(true)))));
    JsonObject rule = new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("segment", "beta").put("value", true)));
    send(HttpMethod.PUT, "/api/v3/flags/flag_004/targeting", ADMIN, rule);
    assertThat(map().getBoolean("flag_004")).isFalse();
    Sql.execute(dbUri, "INSERT INTO tenants (id, attributes) VALUES ('" + tenant + "', '{\"beta\": true}')");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!map().getBoolean("flag_004")) {
      assertThat(System.nanoTime()).as("the change is heard within 5 s").isLessThan(deadline);
      await(vertx.timer(20));
    }
  }
}
