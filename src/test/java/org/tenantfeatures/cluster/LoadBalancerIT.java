package org.tenantfeatures.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Future;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.support.ClusterCerts;
import org.tenantfeatures.support.HaproxyProcess;
import org.tenantfeatures.support.ServiceProcess;
import org.tenantfeatures.support.TestCluster;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;
import org.tenantfeatures.tools.loadgen.DataSet;
import org.tenantfeatures.tools.loadgen.LoadOptions;
import org.tenantfeatures.tools.loadgen.LoadReport;
import org.tenantfeatures.tools.loadgen.LoadSession;
import org.tenantfeatures.tools.loadgen.TenantHistory;

/**
 * Two clustered nodes, each the real entry point in a JVM of its own, behind a real HAProxy
 * ({@code conf/haproxy.cfg}; Debian package, installed by {@code .ci/run}), under verified load
 * with writes (override flips in the database, which every node must pass on within 1.1 s).
 * A rolling restart, node by node with SIGTERM, must be invisible to clients; a node killed hard
 * may fail what it had in flight, and nothing once the load balancer has taken it out.
 */
@DisplayName("Two nodes behind HAProxy")
class LoadBalancerIT {

  private static final Logger log = LoggerFactory.getLogger(LoadBalancerIT.class);
  private static final String TOKEN = "load-balancer-test-token";
  /** Answers a node must have given through the load balancer before it is stopped, so that stopping it is a real test. */
  private static final long SERVED_BEFORE_STOP = 200;
  private static final int RESTARTS = 5;

  private final Process[] nodes = new Process[3];
  private final int[] httpPorts = new int[3];
  private final String[] logs = new String[3];
  private final List<Process> started = new ArrayList<>();
  private HaproxyProcess haproxy;
  private Vertx client;
  private String dbUri;
  private TestCluster cluster;
  /** Names the logs of one test's nodes (target/lb-<run>-node-<n>...), so that each test keeps its own. */
  private String run;
  /** The truth all of a test's load sessions share: they run back to back on the same data. */
  private final TenantHistory truth = new TenantHistory();

  @AfterEach
  void stopAll() throws Exception {
    if (haproxy != null) {
      haproxy.stop();
    }
    ServiceProcess.stop(Duration.ofSeconds(20), started);
    if (client != null) {
      await(client.close(), Duration.ofSeconds(10));
    }
  }

  /** Two nodes, ready, behind HAProxy, with data to read; answers the load balancer's port. */
  private int startNodesBehindHaproxy(String run) throws Exception {
    this.run = run;
    Path haproxyBinary = HaproxyProcess.locate()
        .orElseThrow(() -> new AssertionError("HAProxy is needed (apt-get install haproxy; .ci/run installs it)"));
    dbUri = TestPostgres.shared().createDatabase();
    cluster = TestCluster.of("tf-lb", 2);
    for (int n = 1; n <= 2; n++) {
      httpPorts[n] = TestConfig.freePort();
      start(n, "");
    }
    haproxy = HaproxyProcess.start(haproxyBinary, new File("target/lb-" + run + "-haproxy.log"), httpPorts[1], httpPorts[2]);
    try (DataSet data = DataSet.connect(dbUri)) {
      data.seed(20, 20);
    }
    client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    return haproxy.port();
  }

  private Future<LoadReport> load(int lbPort, String seconds) {
    return LoadSession.run(client, LoadOptions.parse("-z", seconds, "-c", "16", "-t", "5000",
        "-H", "Authorization: Bearer " + TOKEN, "--tenants", "20", "--verify", "--writes", "10", "--max-stale-ms", "1100",
        "--db", dbUri, "-q", "http://127.0.0.1:" + lbPort + "/api/v3/features/tenant"), null, truth);
  }

  @Test
  @DisplayName("A rolling restart under verified load, each node stopped with SIGTERM and started again in turn, five times: every answer a right 200")
  void rollingRestartIsInvisible() throws Exception {
    int lbPort = startNodesBehindHaproxy("rolling");
    AtomicBoolean restarting = new AtomicBoolean(true);
    List<LoadReport> reports = new CopyOnWriteArrayList<>();
    // Back-to-back sessions for as long as the restarts take (a node starts in 3 to 15 s on a busy
    // two-core machine), so that no restart happens without load; a session ends with its writes.
    Thread loadLoop = new Thread(() -> {
      try {
        while (restarting.get()) {
          reports.add(await(load(lbPort, "5s"), Duration.ofSeconds(60)));
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "rolling-restart-load");
    loadLoop.start();
    try {
      servedThroughTheBalancer(2);
      for (int i = 0; i < RESTARTS; i++) {
        int n = i % 2 == 0 ? 2 : 1;
        long stopping = System.nanoTime();
        nodes[n].destroy(); // SIGTERM
        assertThat(nodes[n].waitFor(20, TimeUnit.SECONDS)).as("node %d stopped", n).isTrue();
        assertThat(Files.readString(Path.of(logs[n]))).as("node %d's log", n).contains("Draining", "Stopped: cleanly");
        start(n, "-" + i);
        log.info("Restart {}: node {} stopped and ready again in {} ms", i + 1, n, (System.nanoTime() - stopping) / 1_000_000);
        // As an operator rolls: the next node only once the load balancer sends this one traffic
        // again (HAProxy needs two good checks), or both would be out at once.
        servedThroughTheBalancer(n);
      }
    } finally {
      restarting.set(false);
      loadLoop.join(TimeUnit.SECONDS.toMillis(90));
    }
    assertThat(reports).as("load sessions").isNotEmpty();
    for (LoadReport report : reports) {
      log.info("Through HAProxy during the rolling restart: {} statuses={} problems={}", report.summaryLine(), report.byStatus(),
          report.byProblem());
    }
    assertThat(reports.stream().mapToLong(LoadReport::wrong).sum()).as("wrong answers: %s",
        reports.stream().flatMap(r -> r.wrongSamples().stream()).toList()).isZero();
    assertThat(reports).allSatisfy(report -> {
      assertThat(report.byStatus().keySet()).as("statuses through a rolling restart (problems: %s)", report.byProblem())
          .containsOnly(200);
      assertThat(report.timeouts() + report.ioErrors()).as("timeouts and I/O errors").isZero();
    });
    assertThat(reports.stream().mapToLong(LoadReport::writes).sum()).isPositive();
  }

  @Test
  @DisplayName("A node killed (SIGKILL) under verified load: zero wrong answers, any error an explicit problem, and none from 2 s after the kill")
  void nodeKilledUnderLoad() throws Exception {
    int lbPort = startNodesBehindHaproxy("kill");
    // One session across the kill, ending about 2 s after it; the next (its writes and checks are
    // its own: two sessions must not write at once) from then on.
    Future<LoadReport> across = load(lbPort, "3s");
    servedThroughTheBalancer(2);
    nodes[2].destroyForcibly(); // SIGKILL: no drain, connections cut
    long killed = System.nanoTime();
    LoadReport report = await(across, Duration.ofSeconds(60));
    long sinceKillMs = (System.nanoTime() - killed) / 1_000_000;
    if (sinceKillMs < 2_000) {
      await(client.timer(2_000 - sinceKillMs, TimeUnit.MILLISECONDS));
    }
    long afterFromMs = (System.nanoTime() - killed) / 1_000_000;
    LoadReport after = await(load(lbPort, "4s"), Duration.ofSeconds(60));
    log.info("Through HAProxy, node 2 killed: {} statuses={} problems={}; from {} ms after the kill: {} statuses={}",
        report.summaryLine(), report.byStatus(), report.byProblem(), afterFromMs, after.summaryLine(), after.byStatus());

    assertThat(report.wrong() + after.wrong()).as("wrong answers: %s %s", report.wrongSamples(), after.wrongSamples()).isZero();
    assertThat(report.problemViolations()).as("errors without a problem body or Retry-After").isZero();
    assertThat(report.byProblem().keySet()).as("problem types while a node died").isSubsetOf("/problems/deadline-exceeded",
        "/problems/database-unavailable");
    assertThat(after.byStatus().keySet()).as("statuses from 2 s after the kill").containsOnly(200);
    assertThat(after.timeouts() + after.ioErrors()).isZero();
    assertThat(after.ok()).isPositive();
  }

  /** Waits until node {@code n} has answered {@link #SERVED_BEFORE_STOP} more reads through the load balancer (10 s at most). */
  private void servedThroughTheBalancer(int n) {
    long from = answered(httpPorts[n]);
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long served;
    while ((served = answered(httpPorts[n]) - from) < SERVED_BEFORE_STOP) {
      assertThat(System.nanoTime()).as("node %d served %d answers through the load balancer", n, served).isLessThan(giveUp);
      LockSupport.parkNanos(50_000_000L);
    }
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

  /** Starts node {@code n} (logging to {@code target/lb-node-<n><suffix>.log}) and waits until it is ready. */
  private void start(int n, String suffix) throws Exception {
    logs[n] = "target/lb-" + run + "-node-" + n + suffix + ".log";
    Map<String, String> env = ServiceProcess.environment(dbUri, httpPorts[n], "tf-lb-node-" + n);
    env.put("TF_HTTP_DRAIN_MS", "1500");
    // The cache capped at a second, the regime --max-stale-ms 1100 was set for: this test is about
    // restarts. Left to the coherent cache alone, the first session (two cold JVMs, HAProxy,
    // PostgreSQL and the load on two cores) served maps 1,102-1,163 ms behind a change in one CI
    // run: the invalidations waited behind backed-up event loops. FaultInjectionIT and
    // scripts/cluster.sh --coherence hold the coherent cache to 100 ms on warm nodes.
    env.put("TF_CACHE_TTL_MS", "1000");
    env.put("TF_CLUSTER_ENABLED", "true");
    env.put("TF_CLUSTER_NAME", cluster.name());
    env.put("TF_CLUSTER_PORT", Integer.toString(cluster.ports().get(n - 1)));
    env.put("TF_CLUSTER_MEMBERS", cluster.members().encode());
    env.putAll(ClusterCerts.shared().memberEnvironment());
    env.put("TF_AUTH_TOKENS", "[{\"name\":\"lb\",\"token\":\"" + TOKEN + "\",\"tenants\":[\"*\"]}]");
    nodes[n] = ServiceProcess.start(env, new File(logs[n]),
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");
    started.add(nodes[n]);
    ServiceProcess.awaitReady(httpPorts[n], List.of(nodes[n]), logs[n]);
  }
}
