package org.tenantfeatures.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.tools.loadgen.DataSet;
import org.tenantfeatures.tools.loadgen.LoadOptions;
import org.tenantfeatures.tools.loadgen.LoadReport;
import org.tenantfeatures.tools.loadgen.LoadSession;
import org.tenantfeatures.support.ClusterCerts;
import org.tenantfeatures.support.HaproxyProcess;
import org.tenantfeatures.support.ServiceProcess;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;

/**
 * Two clustered nodes, each the real entry point in a JVM of its own, behind a real HAProxy
 * ({@code conf/haproxy.cfg}; Debian package, installed by {@code .ci/run}). Node 2 gets SIGTERM
 * under verified load with writes: it turns not-ready, HAProxy takes it out, it finishes what it
 * had and stops; no client sees a wrong answer, and any error is an explicit problem.
 */
@DisplayName("Two nodes behind HAProxy")
class LoadBalancerIT {

  private static final Logger log = LoggerFactory.getLogger(LoadBalancerIT.class);
  private static final String TOKEN = "load-balancer-test-token";

  private final List<Process> nodes = new ArrayList<>();
  private HaproxyProcess haproxy;
  private Vertx client;

  @AfterEach
  void stopAll() throws Exception {
    if (haproxy != null) {
      haproxy.stop();
    }
    ServiceProcess.stop(Duration.ofSeconds(20), nodes);
    if (client != null) {
      await(client.close(), Duration.ofSeconds(10));
    }
  }

  @Test
  @DisplayName("A node stopped with SIGTERM under verified load: zero wrong answers through the load balancer, any error an explicit problem")
  void nodeStoppedUnderLoad() throws Exception {
    Path haproxyBinary = HaproxyProcess.locate()
        .orElseThrow(() -> new AssertionError("HAProxy is needed (apt-get install haproxy; .ci/run installs it)"));
    String dbUri = TestPostgres.shared().createDatabase();
    String cluster = "tf-lb-" + UUID.randomUUID();
    int hazelcastPort = TestConfig.freePort();
    int node1Port = TestConfig.freePort();
    int node2Port = TestConfig.freePort();

    node(1, dbUri, cluster, hazelcastPort, node1Port);
    waitReady(node1Port);
    Process node2 = node(2, dbUri, cluster, hazelcastPort, node2Port);
    waitReady(node2Port);
    haproxy = HaproxyProcess.start(haproxyBinary, new File("target/lb-haproxy.log"), node1Port, node2Port);
    int lbPort = haproxy.port();
    try (DataSet data = DataSet.connect(dbUri)) {
      data.seed(20, 20);
    }

    client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    var running = LoadSession.run(client, LoadOptions.parse("-z", "8s", "-c", "16", "-t", "5000",
        "-H", "Authorization: Bearer " + TOKEN, "--tenants", "20", "--verify", "--writes", "10", "--max-stale-ms", "1100",
        "--db", dbUri, "-q", "http://127.0.0.1:" + lbPort + "/api/v3/features/tenant"), null);
    // Node 2 is stopped once it has served its share, so that stopping it is a real test.
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
    long servedByNode2;
    while ((servedByNode2 = answered(node2Port)) < 300) {
      assertThat(System.nanoTime()).as("node 2 served %d answers through the load balancer", servedByNode2).isLessThan(giveUp);
      LockSupport.parkNanos(50_000_000L);
    }
    node2.destroy(); // SIGTERM
    LoadReport report = await(running, Duration.ofSeconds(60));
    log.info("Through HAProxy, node 2 stopped after serving {}: {} statuses={} problems={}", servedByNode2, report.summaryLine(),
        report.byStatus(), report.byProblem());

    assertThat(node2.waitFor(20, TimeUnit.SECONDS)).as("node 2 stopped").isTrue();
    assertThat(report.wrong()).as("wrong answers: %s", report.wrongSamples()).isZero();
    // Requests the other node had just routed over the bus to node 2's database verticle as it
    // left can wait out their deadline (seen: 2 of 13,832 as 504); they must be explicit problems.
    assertThat(report.byStatus().keySet()).as("statuses").isSubsetOf(200, 503, 504);
    assertThat(report.byProblem().keySet()).as("problem types").isSubsetOf("/problems/deadline-exceeded",
        "/problems/database-unavailable");
    // Each of the 16 clients has one request in flight; those routed to node 2's database verticle
    // as it left wait out their deadline (seen: 16 of 4,630 before and after the edge changes).
    assertThat(report.errors5xx()).as("errors while a node left").isLessThanOrEqualTo(32);
    assertThat(report.problemViolations()).as("errors without a problem body or Retry-After").isZero();
    assertThat(report.timeouts() + report.ioErrors()).isZero();
    assertThat(report.ok()).isPositive();
    assertThat(report.writes()).isPositive();
    assertThat(Files.readString(Path.of("target/lb-node-2.log"))).contains("Draining", "Stopped: cleanly");
  }

  /** The features answers a node gave, by its own metrics. */
  private static long answered(int port) {
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
      return metrics.lines().filter(l -> l.startsWith("tenant_features_answers_total{endpoint=\"features\",outcome=\"ok\"")
          || l.startsWith("tenant_features_answers_total{outcome=\"ok\",endpoint=\"features\""))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (Exception notYet) {
      return 0;
    }
  }

  private Process node(int n, String dbUri, String cluster, int hazelcastPort, int httpPort) throws Exception {
    Map<String, String> env = ServiceProcess.environment(dbUri, httpPort, "tf-lb-node-" + n);
    env.put("TF_HTTP_DRAIN_MS", "1500");
    env.put("TF_CLUSTER_ENABLED", "true");
    env.put("TF_CLUSTER_NAME", cluster);
    env.put("TF_CLUSTER_PORT", Integer.toString(hazelcastPort));
    env.putAll(ClusterCerts.shared().memberEnvironment());
    env.put("TF_AUTH_TOKENS", "[{\"name\":\"lb\",\"token\":\"" + TOKEN + "\",\"tenants\":[\"*\"]}]");
    Process process = ServiceProcess.start(env, new File("target/lb-node-" + n + ".log"),
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");
    nodes.add(process);
    return process;
  }

  /** Waits until a node answers /health/ready with 200; fails if a node exited or after 90 s. */
  private void waitReady(int port) {
    ServiceProcess.awaitReady(port, nodes, "target/lb-*.log");
  }
}
