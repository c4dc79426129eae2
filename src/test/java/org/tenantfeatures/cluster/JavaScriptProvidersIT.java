package org.tenantfeatures.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.support.ClusterCerts;
import org.tenantfeatures.support.NodeScript;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestCluster;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;

/**
 * The OpenFeature JavaScript SDKs with their OFREP providers, real packages from npm run by
 * Node.js ({@code src/test/js}), against two clustered nodes: the server provider on one node, the
 * web provider (bulk load, 304 on re-poll, SSE) on node A while overrides are written on B and on A.
 * The nodes cache maps for a minute, so a new value within 1 s is the change event's doing.
 */
@DisplayName("OpenFeature JavaScript providers (Node.js)")
class JavaScriptProvidersIT {

  private static final Logger log = LoggerFactory.getLogger(JavaScriptProvidersIT.class);
  private static final String TOKEN = "js-providers-token";

  private static final List<Vertx> vertxes = new ArrayList<>();
  private static String dbUri;
  private static RunningService a;
  private static RunningService b;

  @BeforeAll
  static void startNodes() throws Exception {
    dbUri = TestPostgres.shared().createDatabase();
    TestCluster cluster = TestCluster.of("tf-js", 2);
    a = node(cluster, 0);
    b = node(cluster, 1);
    Seed.flagsHeard(vertxes.get(1), dbUri, 4);
  }

  @AfterAll
  static void stopNodes() throws Exception {
    for (Vertx vertx : vertxes) {
      await(vertx.close());
    }
  }

  private static RunningService node(TestCluster cluster, int index) throws Exception {
    AppConfig config = ClusterCerts.shared().member(TestConfig.forDatabase(dbUri), cluster, index)
        .with("cache.ttlMs", 60_000)
        .withToken("js", TOKEN, "read", "write")
        .build();
    Vertx vertx = await(ClusterSetup.clusteredVertx(new VertxOptions(), config.cluster()));
    vertxes.add(vertx);
    return await(RunningService.deploy(vertx, config));
  }

  /** A tenant of its own with one override, so that both reasons (TARGETING_MATCH, STATIC) occur. */
  private static String tenantWithOneOverride() throws Exception {
    String tenant = UUID.randomUUID().toString();
    HttpResponse<Buffer> put = await(a.request(HttpMethod.PUT, "/api/v3/features/tenant/flag_002", TOKEN, tenant)
        .sendJsonObject(new JsonObject().put("enabled", true)));
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    return tenant;
  }

  private static String url(RunningService node) {
    return "http://127.0.0.1:" + node.config().http().port();
  }

  /** What every script is told: the token, the tenant and its map as the database has it ({@code expected}). */
  private static Map<String, String> environment(String tenant, JsonObject expected) {
    Map<String, String> env = new HashMap<>();
    env.put("TF_TOKEN", TOKEN);
    env.put("TF_TENANT", tenant);
    env.put("TF_EXPECTED", expected.encode());
    return env;
  }

  @Test
  @DisplayName("Server SDK (@openfeature/server-sdk + ofrep-provider): every flag, its reason and variant, a missing flag's code default, X-API-Key, no token")
  void serverProvider() throws Exception {
    String tenant = tenantWithOneOverride();
    Map<String, String> env = environment(tenant, Sql.expectedMap(dbUri, tenant));
    env.put("TF_URL", url(b));
    JsonObject summary = NodeScript.run("server-provider.mjs", env);
    log.info("server provider: {}", summary);
    assertThat(summary.getJsonObject("reasons").getInteger("TARGETING_MATCH")).isEqualTo(1);
    assertThat(summary.getJsonObject("reasons").getInteger("STATIC")).isEqualTo(3);
  }

  @Test
  @DisplayName("Web SDK (@openfeature/web-sdk + ofrep-web-provider) on node A: bulk load, 304 on re-poll, a PUT on B and one on A each a configuration-changed event with the new value within 1 s")
  void webProvider() throws Exception {
    String tenant = tenantWithOneOverride();
    JsonObject before = Sql.expectedMap(dbUri, tenant);
    Map<String, String> env = environment(tenant, before);
    env.put("TF_URL_A", url(a));
    env.put("TF_URL_B", url(b));
    env.put("TF_FLAG", "flag_003");
    JsonObject summary = NodeScript.run("web-provider.mjs", env);
    log.info("web provider: {}", summary);
    assertThat(summary.getInteger("repoll")).isEqualTo(304);
    assertThat(summary.getLong("writeOnOtherNodeMs")).isLessThan(1_000);
    assertThat(Sql.expectedMap(dbUri, tenant)).as("after the script's two writes, the second undoing the first").isEqualTo(before);
  }
}
