package org.tenantfeatures.boot;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.http.HttpVerticle;
import org.tenantfeatures.http.Routes;
import org.tenantfeatures.http.auth.Access;
import org.tenantfeatures.http.edge.ConnectionGuard;
import org.tenantfeatures.http.ofrep.NodeStreams;
import org.tenantfeatures.telemetry.Telemetry;

/**
 * The start-up warm-up ({@code http.warmUpMs}): before a node opens its port, it reads tenant
 * maps through its own HTTP side for that long, so that the JIT has compiled the read path
 * while the machine is idle. A cold JVM answers at a small fraction of its speed for its first
 * seconds under load (the optimising compiler then shares the cores with the load itself), and
 * a load balancer sends a node its share of the traffic as soon as it is ready.
 *
 * <p>It leaves nothing behind that a client could see: a listener of its own on a free loopback
 * port, reachable only with a random token that lives in this object, for made-up tenants that no
 * one has; its own cache (every eighth read a new tenant, so that the database path is warmed
 * too, even with the cache on), and its router counts no answer or request in the metrics
 * ({@link AnswerMetrics#uncounted}). It reads only. The first answer that is not a
 * 200 (the database down, say) ends it: the node then starts cold, as it would have without it.
 */
public final class WarmUp {

  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
  /** Concurrent reads: enough to keep the event loops busy, few enough to leave the compiler a core. */
  private static final int CONCURRENCY = 16;
  /** Tenants read again and again (cache hits, with the cache on). */
  private static final int HOT_TENANTS = 8;
  /** One read in this many is of a tenant never read before (a cache miss, a database read). */
  private static final int NEW_TENANT_EVERY = 8;
  /**
   * The warm-up cache's size: the hot tenants and a few new ones. Unbounded, its maps of new
   * tenants (4 KB each at 50 flags, thousands of them) were promoted to the old generation and
   * stayed there, as heap the node then kept (RSS 197 MB against 173 MB after a run).
   */
  private static final int CACHED_TENANTS = 4 * HOT_TENANTS;

  private final Vertx vertx;
  private final AppConfig config;
  private final Lifecycle lifecycle;
  private final String token;
  private final String[] hotTenants = new String[HOT_TENANTS];
  private final AtomicInteger reads = new AtomicInteger();

  private WarmUp(Vertx vertx, AppConfig config, Lifecycle lifecycle) {
    this.vertx = vertx;
    this.config = config;
    this.lifecycle = lifecycle;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.token = "warm-up-" + HexFormat.of().formatHex(secret);
    for (int i = 0; i < HOT_TENANTS; i++) {
      hotTenants[i] = UUID.randomUUID().toString();
    }
  }

  /**
   * Warms the node's read path for {@code http.warmUpMs}; always succeeds (a warm-up that fails
   * leaves the node cold). Not on an HTTP-only node ({@code cluster.database=false}): its reads
   * would go to other nodes' database verticles, which serve live traffic.
   */
  public static Future<Void> run(Vertx vertx, AppConfig config) {
    if (config.http().warmUpMs() == 0 || !config.cluster().database()) {
      return Future.succeededFuture();
    }
    // A lifecycle of its own: the node's would keep the warm-up's drain hooks (and its router) for good.
    Lifecycle own = new Lifecycle();
    own.migrated();
    return new WarmUp(vertx, config, own).run();
  }

  private Future<Void> run() {
    AppConfig own = config.forWarmUp(new AppConfig.TokenGrant("warm-up", token, true, Set.of()));
    AppConfig.Cache cache = config.cache();
    // Counted nowhere: the series count what clients were told, and nothing here is a client's.
    Telemetry uncounted = Telemetry.none();
    HttpVerticle server = new HttpVerticle(own, TenantMapCache.create(new AppConfig.Cache(cache.ttlMs(), CACHED_TENANTS, 0,
        cache.ttlWithoutListenerMs()), uncounted), lifecycle,
        new ConnectionGuard(own.http().limits(), uncounted), NodeStreams.of(own.http().streams(), lifecycle, uncounted), uncounted);
    long started = System.nanoTime();
    long deadline = started + config.http().warmUpMs() * 1_000_000L;
    Future<String> warmed = vertx.deployVerticle(server).compose(deployment -> {
      HttpClientAgent client = vertx.createHttpClient(
          new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort())
              .setConnectTimeout(1_000).setIdleTimeout(config.http().requestTimeoutMs() + 1_000).setIdleTimeoutUnit(TimeUnit.MILLISECONDS),
          new PoolOptions().setHttp1MaxSize(CONCURRENCY));
      Promise<String> ended = Promise.promise();
      AtomicInteger running = new AtomicInteger(CONCURRENCY);
      for (int i = 0; i < CONCURRENCY; i++) {
        readUntil(client, deadline, ended, running);
      }
      return ended.future()
          .eventually(() -> client.close())
          .eventually(() -> vertx.undeploy(deployment));
    });
    // However the reads or the undeploy might hang, the node opens its port: the warm-up delays it, boundedly.
    long boundMs = config.http().warmUpMs() + config.http().requestTimeoutMs() + config.http().shutdownTimeoutMs() + 5_000L;
    return warmed.timeout(boundMs, TimeUnit.MILLISECONDS).transform(done -> {
      long ms = (System.nanoTime() - started) / 1_000_000;
      if (done.succeeded()) {
        log.info("Warmed up: {} reads in {} ms on loopback ({}); opening the port", reads.get(), ms, done.result());
      } else {
        log.warn("Warm-up ended after {} reads in {} ms: {}; starting cold", reads.get(), ms, done.cause().toString());
      }
      return Future.succeededFuture();
    });
  }

  /** One of the concurrent readers: reads until the deadline, or until an answer is not a 200. */
  private void readUntil(HttpClientAgent client, long deadline, Promise<String> ended, AtomicInteger running) {
    if (ended.future().isComplete()) {
      return;
    }
    if (System.nanoTime() >= deadline) {
      if (running.decrementAndGet() == 0) {
        ended.tryComplete("time's up");
      }
      return;
    }
    int n = reads.incrementAndGet();
    String tenant = n % NEW_TENANT_EVERY == 0 ? randomTenant() : hotTenants[n % HOT_TENANTS];
    client.request(HttpMethod.GET, Routes.FEATURES)
        .compose(request -> request
            .putHeader("Authorization", "Bearer " + token)
            .putHeader(Access.TENANT_HEADER, tenant)
            .send())
        .compose(response -> response.body().map(body -> response.statusCode()))
        .onComplete(answer -> {
          if (answer.failed()) {
            ended.tryFail(answer.cause());
          } else if (answer.result() != 200) {
            ended.tryFail(new IllegalStateException("a read answered " + answer.result()));
          } else {
            readUntil(client, deadline, ended, running);
          }
        });
  }

  private static String randomTenant() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }
}
