package org.tenantfeatures.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnectOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.support.FaultyProxy;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.StoppablePostgres;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;
import org.tenantfeatures.tools.loadgen.DataSet;
import org.tenantfeatures.tools.loadgen.LoadOptions;
import org.tenantfeatures.tools.loadgen.LoadReport;
import org.tenantfeatures.tools.loadgen.LoadSession;
import org.tenantfeatures.tools.loadgen.TenantHistory;

/**
 * Load with verification while the database misbehaves. Every test asserts the same promise:
 * no wrong answer; every non-200 a 503/504 problem with {@code Retry-After}, within the
 * deadline plus {@link #MARGIN_MS}; after the fault, correct answers again within
 * {@link #RECOVERY_MS} without a restart; and no connection left behind.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Fault injection under verified load")
class FaultInjectionIT {

  private static final Logger log = LoggerFactory.getLogger(FaultInjectionIT.class);

  static final int DEADLINE_MS = 1_000;
  /** Scheduling slack on a loaded two-core machine, plus HTTP on both ends. */
  static final int MARGIN_MS = 500;
  static final int RECOVERY_MS = 5_000;
  static final int POOL_SIZE = 4;
  /** Connections for writes and the node's checks (readiness, diagnostics), beside the reads' pool. */
  static final int WRITE_POOL_SIZE = 2;
  static final int FLAGS = 20;
  static final int TENANTS = 20;
  static final String LOAD_SECONDS = "6s";

  private Vertx clientVertx;
  private StoppablePostgres ownPostgres;
  private FaultyProxy proxy;

  @AfterEach
  void tearDown() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (clientVertx != null) {
      await(clientVertx.close(), Duration.ofSeconds(10));
    }
    if (ownPostgres != null) {
      ownPostgres.close();
    }
  }

  /**
   * A service on {@code serviceDbUri} whose data is written through {@code directDbUri};
   * {@code maxStaleMs}: how late a right answer may be (with the cache on, the coherence bound:
   * a change's announcement on its way, whatever the cache's TTL);
   * {@code truth}: shared by the setup's load sessions, which run back to back on the same data.
   */
  private record Setup(RunningService service, String directDbUri, String applicationName, long maxStaleMs, TenantHistory truth) {
  }

  private Setup deploy(Vertx vertx, String directDbUri, String serviceDbUri, Function<TestConfig, TestConfig> tune)
      throws Exception {
    TestConfig config = TestConfig.forDatabase(serviceDbUri)
        .with("http.requestTimeoutMs", DEADLINE_MS)
        .with("db.statementTimeoutMs", 800)
        .with("db.pool.maxSize", POOL_SIZE)
        .with("db.pool.writeMaxSize", WRITE_POOL_SIZE)
        .with("db.pool.connectionTimeoutMs", 500)
        .with("db.breaker.maxFailures", 5)
        .with("db.breaker.resetTimeoutMs", 500)
        .with("cache.ttlMs", 0);
    AppConfig built = tune.apply(config).build();
    RunningService service = await(RunningService.deploy(vertx, built));
    try (DataSet data = DataSet.connect(directDbUri)) {
      data.seed(FLAGS, TENANTS);
    }
    clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    long maxStaleMs = built.cache().enabled() ? COHERENT_STALE_MS : 0;
    return new Setup(service, directDbUri, built.db().applicationName(), maxStaleMs, new TenantHistory());
  }

  private Setup deployOnSharedPostgres(Vertx vertx, Function<TestConfig, TestConfig> tune) throws Exception {
    String db = TestPostgres.shared().createDatabase();
    return deploy(vertx, db, db, tune);
  }

  /** A service whose connections go through {@link #proxy}; data is written around it. */
  private Setup deployBehindProxy(Vertx vertx) throws Exception {
    String db = TestPostgres.shared().createDatabase();
    var target = PgConnectOptions.fromUri(db);
    proxy = await(FaultyProxy.start(vertx, target.getHost(), target.getPort()));
    return deploy(vertx, db, proxy.uriFor(db), c -> c);
  }

  /** Verified load with concurrent override flips, as a user would run scripts/load.sh. */
  private Future<LoadReport> load(Setup setup, String duration, int connections) {
    return load(setup, duration, connections, "/api/v3/features/tenant");
  }

  /** The same through OFREP's bulk evaluation, as an OpenFeature provider would ask. */
  private Future<LoadReport> loadOfrep(Setup setup, String duration, int connections) {
    return load(setup, duration, connections, "/ofrep/v1/evaluate/flags", "--ofrep");
  }

  private Future<LoadReport> load(Setup setup, String duration, int connections, String path, String... more) {
    List<String> args = new ArrayList<>(List.of("-z", duration, "-c", Integer.toString(connections), "-t", "5000",
        "-H", "Authorization: Bearer " + TestConfig.ALL_TENANTS_TOKEN,
        "--tenants", Integer.toString(TENANTS), "--verify", "--writes", "20", "--db", setup.directDbUri(),
        "--max-stale-ms", Long.toString(setup.maxStaleMs()), "-q"));
    args.addAll(List.of(more));
    args.add("http://127.0.0.1:" + setup.service().config().http().port() + path);
    return LoadSession.run(clientVertx, LoadOptions.parse(args.toArray(String[]::new)), null, setup.truth());
  }

  /** What every fault must leave true of the answers given during it: the v3 read's errors are 503 and 504. */
  private static void assertExplicitAnswers(String fault, LoadReport report) {
    assertExplicitAnswers(fault, report, 503, 504);
  }

  /**
   * The same, with the error statuses of the route under load (OFREP's retryable answer is 429,
   * and the load generator checks its protocol shape and Retry-After as problemViolations).
   */
  private static void assertExplicitAnswers(String fault, LoadReport report, Integer... errorStatuses) {
    log.info("{}: {} statuses={} problems={} max_error_ms={}", fault, report.summaryLine(), report.byStatus(), report.byProblem(),
        report.maxErrorMs());
    Set<Integer> statuses = new HashSet<>(List.of(errorStatuses));
    statuses.add(200);
    assertThat(report.ok()).as("correct answers").isPositive();
    assertThat(report.wrong()).as("wrong answers; samples: %s", report.wrongSamples()).isZero();
    assertThat(report.byStatus().keySet()).as("statuses").isSubsetOf(statuses);
    assertThat(report.problemViolations()).as("errors without a problem body or Retry-After").isZero();
    assertThat(report.timeouts() + report.ioErrors()).as("requests left unanswered").isZero();
    assertThat(report.maxErrorMs()).as("slowest error answer, ms").isLessThanOrEqualTo(DEADLINE_MS + MARGIN_MS);
  }

  /** After the fault: correct answers again, and the pool back to normal. */
  private void assertRecoversWithoutLeak(Setup setup) throws Exception {
    assertRecovers(setup, 8);
    assertNoConnectionLeak(setup);
  }

  /**
   * Correct answers within the recovery time, then a clean verified run; {@code connections}:
   * its clients, no more than the pool and its queue can take.
   */
  private void assertRecovers(Setup setup, int connections) throws Exception {
    long giveUp = System.nanoTime() + RECOVERY_MS * 1_000_000L;
    LoadReport probe;
    do {
      probe = await(load(setup, "300ms", 4));
    } while ((probe.ok() == 0 || probe.requests() != probe.ok()) && System.nanoTime() < giveUp);
    assertThat(probe.requests()).as("a clean probe within %d ms of the fault's end", RECOVERY_MS).isEqualTo(probe.ok());
    LoadReport after = await(load(setup, "1s", connections));
    assertThat(after.wrong()).isZero();
    assertThat(after.ok()).as("every answer after recovery").isEqualTo(after.requests());
  }

  /** The pools return to normal: within their sizes, and nothing left busy once the load stops. */
  private static void assertNoConnectionLeak(Setup setup) throws Exception {
    long giveUp = System.nanoTime() + 5_000_000_000L;
    int total;
    int busy;
    do {
      total = count(setup, "");
      busy = count(setup, "AND state <> 'idle'");
    } while ((busy > 0 || total > POOL_SIZE + WRITE_POOL_SIZE) && System.nanoTime() < giveUp && pause());
    assertThat(total).as("connections of the service").isLessThanOrEqualTo(POOL_SIZE + WRITE_POOL_SIZE);
    assertThat(busy).as("connections still busy after the load").isZero();
  }

  private static int count(Setup setup, String condition) {
    return Sql.backends(setup.directDbUri(), setup.applicationName(), condition);
  }

  /**
   * Every {@code periodMs}, terminates the service's backends named {@code applicationName}
   * ({@code pg_terminate_backend}), counting them in {@code killed}; answers the timer's id.
   */
  private static long terminateEvery(Vertx vertx, long periodMs, Setup setup, String applicationName, AtomicInteger killed) {
    return vertx.setPeriodic(periodMs, id -> vertx.executeBlocking(() -> {
      try (Connection c = Sql.connect(setup.directDbUri());
           PreparedStatement s = c.prepareStatement(
               "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
        s.setString(1, applicationName);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          killed.addAndGet(rs.getInt(1));
        }
      }
      return null;
    }));
  }

  /** How far behind the database a coherent cache may answer (issue 13's bound). */
  private static final long COHERENT_STALE_MS = 100;

  /** Polling interval of the deadline-bounded polls above. */
  private static boolean pause() {
    java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
    return true;
  }


  @Test
  @DisplayName("Backends killed with pg_terminate_backend every 300 ms")
  void terminatedBackends(Vertx vertx) throws Exception {
    Setup setup = deployOnSharedPostgres(vertx, c -> c);
    AtomicInteger killed = new AtomicInteger();
    long timer = terminateEvery(vertx, 300, setup, setup.applicationName(), killed);
    LoadReport report = await(load(setup, LOAD_SECONDS, 16));
    vertx.cancelTimer(timer);
    assertExplicitAnswers("terminated backends (" + killed.get() + ")", report);
    assertThat(killed.get()).as("backends terminated").isPositive();
    assertRecoversWithoutLeak(setup);
  }

  @Test
  @DisplayName("The change listener's connection killed every 2 s under writes, cache on for a minute: every answer at most 100 ms behind the database")
  void listenerKilledUnderTheCoherentCache(Vertx vertx) throws Exception {
    Setup setup = deployOnSharedPostgres(vertx, c -> c.with("cache.ttlMs", 60_000));
    AtomicInteger killed = new AtomicInteger();
    long timer = terminateEvery(vertx, 2_000, setup, setup.applicationName() + "-listener", killed);
    LoadReport report = await(load(setup, LOAD_SECONDS, 16));
    vertx.cancelTimer(timer);
    log.info("Listener killed {} times: {}, cache hit ratio {}", killed.get(), report.summaryLine(),
        String.format(java.util.Locale.ROOT, "%.3f", (double) report.cacheHits() / Math.max(1, report.ok())));
    assertThat(killed.get()).as("listener connections terminated").isGreaterThanOrEqualTo(2);
    assertThat(report.wrongSamples()).as("answers more than 100 ms behind the database").isEmpty();
    assertThat(report.byStatus().keySet()).as("statuses: killing the listener costs no request").containsOnly(200);
    assertThat(report.cacheHits()).as("and the cache still served between the kills").isPositive();
  }

  @Test
  @DisplayName("PostgreSQL stopped for 2 s and started again")
  void databaseRestart(Vertx vertx) throws Exception {
    LoadReport report = restartUnderLoad(vertx, c -> c);
    assertThat(report.errors5xx()).as("the outage was seen").isPositive();
  }

  @Test
  @DisplayName("PostgreSQL stopped for 2 s and started again, with the cache and stale-if-error on: every stale answer a state the tenant had")
  void databaseRestartWithCacheAndStaleIfError(Vertx vertx) throws Exception {
    LoadReport report = restartUnderLoad(vertx, c -> c.with("cache.ttlMs", 300).with("cache.staleIfErrorMs", 5_000));
    // The generator checked each stale body against the tenant's history (wrong is zero).
    assertThat(report.stale()).as("the outage was answered with marked stale maps").isPositive();
  }

  @Test
  @DisplayName("PostgreSQL stopped for 2 s under OFREP bulk load: every answer all the tenant's flags right, or a 429 with Retry-After in the protocol's shape")
  void databaseRestartUnderOfrep(Vertx vertx) throws Exception {
    ownPostgres = StoppablePostgres.start();
    Setup setup = deploy(vertx, ownPostgres.uri(), ownPostgres.uri(), c -> c);
    LoadReport report = underFault(vertx, "database restart under OFREP", loadOfrep(setup, LOAD_SECONDS, 16),
        () -> restartOwnPostgres(vertx), 429);
    assertThat(report.byStatus().keySet()).as("statuses").containsOnly(200, 429);
    assertThat(report.byProblem().keySet()).as("error codes").containsOnly("ofrep:GENERAL");
    assertRecoversWithoutLeak(setup);
  }

  /** Stops this test's own PostgreSQL, and starts it again 2 s later. */
  private Future<Void> restartOwnPostgres(Vertx vertx) {
    return vertx.executeBlocking(() -> {
          ownPostgres.stop();
          return null;
        })
        .compose(v -> vertx.timer(2_000, TimeUnit.MILLISECONDS))
        .compose(v -> vertx.executeBlocking(() -> {
          ownPostgres.startAgain();
          return null;
        }));
  }

  /** Verified load while PostgreSQL stops for 2 s: explicit answers only, then recovery without a leak. */
  private LoadReport restartUnderLoad(Vertx vertx, Function<TestConfig, TestConfig> tune) throws Exception {
    ownPostgres = StoppablePostgres.start();
    Setup setup = deploy(vertx, ownPostgres.uri(), ownPostgres.uri(), tune);
    LoadReport report = underFault(vertx, setup, "database restart", () -> restartOwnPostgres(vertx));
    assertRecoversWithoutLeak(setup);
    return report;
  }

  /**
   * With 2 connections and a wait queue of 2 for 32 clients, most requests are refused at once,
   * but those that find a connection are answered: measured 2,467 correct of 17,223 (0.14). An
   * open breaker (a saturated pool counted as a failing database) left 56 of 14,139 (0.004).
   * Reads are pipelined, so each connection takes 4 here (room for 10 reads with the queue):
   * at the default 256 the pool never filled and nothing was refused.
   */
  private static final double MIN_OK_SHARE_POOL_EXHAUSTED = 0.04;

  @Test
  @DisplayName("Pool exhausted: 2 read connections of 4 pipelined reads each, a wait queue of 2, 32 clients, and statements held up by a lock")
  void poolExhaustion(Vertx vertx) throws Exception {
    Setup setup = deployOnSharedPostgres(vertx, c -> c.with("db.pool.maxSize", 2).with("db.pipeliningLimit", 4)
        .with("db.pool.maxWaitQueueSize", 2));
    Future<LoadReport> running = load(setup, LOAD_SECONDS, 32);
    List<Future<Void>> locks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      locks.add(vertx.timer(1_000L + i * 1_500L, TimeUnit.MILLISECONDS)
          .compose(v -> vertx.executeBlocking(() -> holdLock(setup.directDbUri(), 600))));
    }
    await(Future.all(locks));
    LoadReport report = await(running);
    assertExplicitAnswers("pool exhaustion", report);
    // A saturated pool is this service's own load, not the database failing: refused at once as
    // pool-exhausted (or, queued behind a lock, deadline-exceeded), never turned into an open
    // breaker that would refuse everyone else too.
    assertThat(report.byProblem()).as("pool exhaustion was answered").containsKey("/problems/pool-exhausted");
    assertThat(report.byProblem().keySet()).as("problem types under pool exhaustion")
        .isSubsetOf("/problems/pool-exhausted", "/problems/deadline-exceeded");
    assertThat((double) report.ok() / report.requests()).as("share of correct answers with the pool exhausted")
        .isGreaterThan(MIN_OK_SHARE_POOL_EXHAUSTED);
    assertRecovers(setup, 3);
    assertNoConnectionLeak(setup);
  }

  @Test
  @DisplayName("Statements slower than the deadline: a lock held for 2.5 s")
  void slowStatements(Vertx vertx) throws Exception {
    Setup setup = deployOnSharedPostgres(vertx, c -> c);
    LoadReport report = underFault(vertx, setup, "slow statements",
        () -> vertx.executeBlocking(() -> holdLock(setup.directDbUri(), 2_500)));
    assertThat(report.errors5xx()).as("slow statements were answered with errors").isPositive();
    assertRecoversWithoutLeak(setup);
  }

  @Test
  @DisplayName("Network cut between service and database for 2 s")
  void networkCut(Vertx vertx) throws Exception {
    LoadReport report = networkFaultFor2s(vertx, "network cut", () -> proxy.cut());
    assertThat(report.errors5xx()).as("the cut was seen").isPositive();
  }

  @Test
  @DisplayName("Network delayed by 1.5 s each way, past the deadline, for 2 s")
  void networkDelay(Vertx vertx) throws Exception {
    LoadReport report = networkFaultFor2s(vertx, "network delay", () -> {
      proxy.delay(1_500);
      return Future.succeededFuture();
    });
    assertThat(report.byStatus()).as("the delay was answered with 504").containsKey(504);
  }

  /** {@code start}, on the proxy between service and database, for 2 s under load; then recovery without a leak. */
  private LoadReport networkFaultFor2s(Vertx vertx, String fault, Supplier<Future<?>> start) throws Exception {
    Setup setup = deployBehindProxy(vertx);
    LoadReport report = underFault(vertx, setup, fault, () -> start.get()
        .compose(v -> vertx.timer(2_000, TimeUnit.MILLISECONDS))
        .onSuccess(v -> proxy.pass()));
    assertRecoversWithoutLeak(setup);
    return report;
  }

  /**
   * Verified load from 16 clients for {@code LOAD_SECONDS}, with {@code fault} started 1.5 s in
   * (once the load runs at full pace): explicit answers only, and the report for what the fault
   * must have shown.
   */
  private LoadReport underFault(Vertx vertx, Setup setup, String fault, Supplier<Future<?>> inject) throws Exception {
    return underFault(vertx, fault, load(setup, LOAD_SECONDS, 16), inject, 503, 504);
  }

  /** As above, for load already {@code running} on a route whose errors are {@code errorStatuses}. */
  private LoadReport underFault(Vertx vertx, String fault, Future<LoadReport> running, Supplier<Future<?>> inject,
      Integer... errorStatuses) throws Exception {
    await(vertx.timer(1_500, TimeUnit.MILLISECONDS).compose(v -> inject.get()));
    LoadReport report = await(running);
    assertExplicitAnswers(fault, report, errorStatuses);
    return report;
  }

  /** Holds an exclusive lock on tenant_features, which every read needs, for {@code ms}. */
  private static Void holdLock(String dbUri, long ms) throws Exception {
    try (Connection c = Sql.connect(dbUri)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("LOCK TABLE tenant_features IN ACCESS EXCLUSIVE MODE");
        s.execute("SELECT pg_sleep(" + ms / 1000.0 + ")");
      }
      c.commit();
    }
    return null;
  }
}
