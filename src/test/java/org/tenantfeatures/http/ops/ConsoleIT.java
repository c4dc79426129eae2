package org.tenantfeatures.http.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.cluster.ClusterSetup;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.support.ClusterCerts;
import org.tenantfeatures.support.NodeScript;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.StoppablePostgres;
import org.tenantfeatures.support.TestCluster;
import org.tenantfeatures.support.TestConfig;

/**
 * The web console in a real browser ({@code src/test/js/console.mjs}: Debian's Chromium driven by
 * playwright-core) against two clustered nodes on a PostgreSQL the test can stop. The script asks
 * this test to stop and start the database, or to change a row behind the service's back, through
 * a small control endpoint of the test's own. The release model's part (a segment, a flag's
 * targeting previewed and saved, reasons, attributes, search) seeds its tenants' records through
 * the API from the script. Its screenshots are the README's, in docs/console.
 */
@DisplayName("The web console, in headless Chromium, on a two-node cluster")
class ConsoleIT {

  private static final Logger log = LoggerFactory.getLogger(ConsoleIT.class);
  private static final String ADMIN = "test-token-console-admin";
  private static final String READER = "test-token-console-reader";
  private static final String XSS_FLAG = "flag_003";
  /** Markup a careless console would run: it would set window.tfXss. */
  private static final String XSS_DESCRIPTION = "<img src=x onerror=\"window.tfXss=1\"><script>window.tfXss=2</script>";

  private final List<Vertx> nodes = new ArrayList<>();
  private StoppablePostgres postgres;
  private HttpServer control;

  @BeforeEach
  void start() throws Exception {
    postgres = StoppablePostgres.start();
    control = controlServer();
  }

  @AfterEach
  void stop() throws Exception {
    control.stop(0);
    for (Vertx vertx : nodes) {
      await(vertx.close());
    }
    postgres.close();
  }

  @Test
  @DisplayName("An operator flips a flag on one node and another sees it within a second; read-only, markup, delete, operations, a release and an outage as people read them")
  void console() throws Exception {
    TestCluster cluster = TestCluster.of("tf-console", 2);
    RunningService a = start(node(cluster, 0));
    RunningService b = start(node(cluster, 1));
    Seed.flags(postgres.uri(), 5);
    Sql.execute(postgres.uri(), "UPDATE feature_flags SET description = '" + XSS_DESCRIPTION.replace("'", "''")
        + "' WHERE name = '" + XSS_FLAG + "'");
    String tenant = Seed.tenantWithData(postgres.uri());
    JsonObject map = Sql.expectedMap(postgres.uri(), tenant);
    String offFlag = map.fieldNames().stream().filter(name -> !map.getBoolean(name) && !name.equals(XSS_FLAG))
        .sorted().findFirst().orElseThrow();

    Map<String, String> env = new HashMap<>();
    env.put("TF_URL_A", "http://127.0.0.1:" + a.config().http().port());
    env.put("TF_URL_B", "http://127.0.0.1:" + b.config().http().port());
    env.put("TF_ADMIN", ADMIN);
    env.put("TF_READER", READER);
    env.put("TF_TENANT", tenant);
    env.put("TF_FLAG", offFlag);
    env.put("TF_XSS_FLAG", XSS_FLAG);
    env.put("TF_CONTROL", "http://127.0.0.1:" + control.getAddress().getPort());
    env.put("TF_SHOTS", Path.of("docs/console").toAbsolutePath().toString());
    env.put("TF_FAILURE_SHOTS", Path.of("target").toAbsolutePath().toString());
    JsonObject summary = NodeScript.run("console.mjs", env, 240);
    log.info("Console end to end: {}", summary.encode());
    assertThat(summary.getLong("otherNodeMs")).as("the change shown on the other node, ms").isLessThanOrEqualTo(1_000);
    assertThat(summary.getString("forbidden")).contains("Write permission required", "'write'");
    assertThat(summary.getString("outage")).contains("retrying by itself");
    assertThat(summary.getString("deleteWarning")).contains(offFlag);
    // The release model: the preview and the confirmation state the tenants moved (the script
    // checks the numbers against its own buckets); an attribute edit reaches the other node's page.
    assertThat(summary.getString("preview")).startsWith("This moves ").endsWith(" known tenants).");
    assertThat(summary.getString("saveConfirmation")).startsWith(summary.getString("preview").replaceAll(" \\(of .*", ""));
    assertThat(summary.getLong("attributeEditMs")).as("an attribute edit shown on the other node, ms").isLessThanOrEqualTo(1_000);
    assertThat(summary.getLong("intoSegmentMs")).as("and back, ms").isLessThanOrEqualTo(1_000);
    assertThat(summary.getJsonObject("explanation").getString("Reason")).isEqualTo("segment");
    assertThat(summary.getString("segmentInUse")).contains("Segment used by flags", "console_release");
  }

  private AppConfig node(TestCluster cluster, int node) {
    return ClusterCerts.shared().member(TestConfig.forDatabase(postgres.uri()), cluster, node)
        .withToken("console-admin", ADMIN, "read", "write", "admin")
        .withToken("console-reader", READER, "read")
        // Quick to notice the database back: the breaker tries again after a second.
        .with("db.breaker.resetTimeoutMs", 1_000)
        .build();
  }

  private RunningService start(AppConfig config) throws Exception {
    Vertx vertx = await(ClusterSetup.clusteredVertx(new VertxOptions(), config.cluster()));
    nodes.add(vertx);
    return await(RunningService.deploy(vertx, config));
  }

  /** POST /db/stop, /db/start, /sql (the body, run on the database): 204, or 500 with the error. */
  private HttpServer controlServer() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/db/stop", exchange -> answer(exchange, () -> postgres.stop()));
    server.createContext("/db/start", exchange -> answer(exchange, () -> postgres.startAgain()));
    server.createContext("/sql", exchange -> {
      String sql = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      answer(exchange, () -> Sql.execute(postgres.uri(), sql));
    });
    server.start();
    return server;
  }

  private interface Action {
    void run() throws Exception;
  }

  private static void answer(HttpExchange exchange, Action action) throws IOException {
    try {
      action.run();
      exchange.sendResponseHeaders(204, -1);
    } catch (Exception e) {
      byte[] body = e.toString().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(500, body.length);
      exchange.getResponseBody().write(body);
    } finally {
      exchange.close();
    }
  }
}
