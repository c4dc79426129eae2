package org.tenantfeatures.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.StoppablePostgres;
import org.tenantfeatures.support.TestConfig;

/**
 * The database goes away under a running service and comes back. While it is away, every
 * answer is an explicit 503/504 problem within the deadline; once the breaker is open, at once;
 * once it is back, correct maps again, without restarting anything.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Database outage and recovery")
class DatabaseOutageIT {

  private static final Logger log = LoggerFactory.getLogger(DatabaseOutageIT.class);
  private static final int DEADLINE_MS = 1_000;
  /** Scheduling on a busy two-core machine, HTTP, and the reply's trip: generous on purpose. */
  private static final int MARGIN_MS = 500;
  private static final int OPEN_CIRCUIT_ANSWER_MS = 200;
  private static final int RECOVERY_LIMIT_MS = 15_000;
  /** With the cache on (tests tagged "cache-on"): short, so that it runs out during the outage. */
  private static final int CACHE_TTL_MS = 300;
  /** With stale-if-error on: how long a tenant's last map may stand in for a failed read. */
  private static final int STALE_IF_ERROR_MS = 2_000;

  private StoppablePostgres postgres;
  private RunningService service;
  private String tenant;
  private JsonObject expected;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx, TestInfo test) throws Exception {
    postgres = StoppablePostgres.start();
    boolean staleIfError = test.getTags().contains("stale-if-error");
    var config = TestConfig.forDatabase(postgres.uri())
        .with("cache.staleIfErrorMs", staleIfError ? STALE_IF_ERROR_MS : 0)
        .with("http.requestTimeoutMs", DEADLINE_MS)
        .with("db.statementTimeoutMs", 800)
        .with("db.pool.connectionTimeoutMs", 500)
        .with("db.breaker.maxFailures", 3)
        .with("db.breaker.resetTimeoutMs", 1_500)
        .with("cache.ttlMs", test.getTags().contains("cache-on") ? CACHE_TTL_MS : 0)
        .build();
    service = await(RunningService.deploy(vertx, config));
    // Heard before the test begins: each new flag drops every cached map, each row of the tenant
    // its map, and what stale-if-error remembers with them, when its notification arrives (a late
    // one cleared the map staleIfError had just read, once notifications were slowed by 50 ms).
    Seed.flagsHeard(vertx, postgres.uri(), 10);
    tenant = Seed.tenantWithDataHeard(vertx, postgres.uri());
    expected = Sql.expectedMap(postgres.uri(), tenant);
    ctx.completeNow();
  }

  @AfterEach
  void stopDatabase() throws Exception {
    postgres.close();
  }

  private record Timed(HttpResponse<Buffer> response, long elapsedMs) {
  }

  private Future<Timed> timedGet() {
    long start = System.nanoTime();
    return service.getFeatures(tenant).map(r -> new Timed(r, (System.nanoTime() - start) / 1_000_000));
  }

  private Future<List<Timed>> sequentially(int count, List<Timed> seen) {
    if (seen.size() == count) {
      return Future.succeededFuture(seen);
    }
    return timedGet().compose(t -> {
      seen.add(t);
      return sequentially(count, seen);
    });
  }

  /** Polls until a 200 arrives or the limit passes; every answer on the way must be 200 or a 503/504 problem. */
  private Future<HttpResponse<Buffer>> firstSuccess(Vertx vertx, long giveUpAtNanos) {
    return service.getFeatures(tenant).compose(response -> {
      if (response.statusCode() == 200) {
        return Future.succeededFuture(response);
      }
      assertThat(response.statusCode()).isIn(503, 504);
      if (System.nanoTime() > giveUpAtNanos) {
        return Future.failedFuture(new AssertionError("no 200 within " + RECOVERY_LIMIT_MS + " ms of the database's return"));
      }
      return vertx.timer(100, TimeUnit.MILLISECONDS).compose(v -> firstSuccess(vertx, giveUpAtNanos));
    });
  }

  /**
   * With the cache on, reads answered from the cache until its entry runs out: each must be the
   * complete map and say it was a hit; the first answer that is not is where the outage shows.
   */
  private Future<Void> untilCacheRunsOut(Vertx vertx, long giveUpAtNanos) {
    return service.getFeatures(tenant).compose(response -> {
      if (response.statusCode() != 200) {
        assertThat(response.statusCode()).as("the first answer not from the cache").isIn(503, 504);
        return Future.succeededFuture();
      }
      assertThat(response.bodyAsJsonObject()).as("no silent empty answer: a 200 during the outage is the complete map").isEqualTo(expected);
      assertThat(response.getHeader("Server-Timing")).as("a 200 during the outage comes from the cache").startsWith("cache;desc=hit");
      assertThat(System.nanoTime()).as("the cached entry never ran out").isLessThan(giveUpAtNanos);
      return vertx.timer(20, TimeUnit.MILLISECONDS).compose(v -> untilCacheRunsOut(vertx, giveUpAtNanos));
    });
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  @DisplayName("Down: 503/504 problems within the deadline, then immediate circuit-open answers; back: correct maps again")
  void outageAndRecovery(Vertx vertx, VertxTestContext ctx) {
    outage(vertx, ctx, false);
  }

  @Test
  @Tag("cache-on")
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  @DisplayName("The same with the cache on: cached answers complete until the entry runs out, never a cached {} or partial map; the first read after recovery from the database")
  void outageAndRecoveryWithCache(Vertx vertx, VertxTestContext ctx) {
    outage(vertx, ctx, true);
  }

  private void outage(Vertx vertx, VertxTestContext ctx, boolean cached) {
    service.getFeatures(tenant)
        .compose(before -> {
          ctx.verify(() -> assertThat(before.bodyAsJsonObject()).isEqualTo(expected));
          return vertx.executeBlocking(() -> {
            postgres.stop();
            return null;
          });
        })
        .compose(v -> cached ? untilCacheRunsOut(vertx, System.nanoTime() + TimeUnit.SECONDS.toNanos(5)) : Future.succeededFuture())
        .compose(v -> service.request(HttpMethod.POST, Routes.OFREP_FLAGS, TestConfig.ALL_TENANTS_TOKEN, null)
            .sendJsonObject(new JsonObject().put("context", new JsonObject().put("targetingKey", tenant))))
        .compose(ofrep -> {
          ctx.verify(() -> {
            // OFREP's retryable answer, never a 200 with flags missing.
            assertThat(ofrep.statusCode()).as("no silent empty answer: OFREP bulk while down (body %s)", ofrep.bodyAsString())
                .isEqualTo(429);
            assertThat(Integer.parseInt(ofrep.getHeader("Retry-After"))).isPositive();
            assertThat(ofrep.bodyAsJsonObject().getString("errorCode")).isEqualTo("GENERAL");
            assertThat(ofrep.bodyAsJsonObject().containsKey("flags")).isFalse();
          });
          return sequentially(8, new ArrayList<>());
        })
        .compose(down -> {
          log.info("While down: {}", down.stream()
              .map(t -> t.response().statusCode() + " " + t.response().bodyAsJsonObject().getString("type") + " in " + t.elapsedMs() + " ms")
              .toList());
          ctx.verify(() -> {
            for (Timed t : down) {
              assertThat(t.response().statusCode()).as("no silent empty answer: status while down (body %s)",
                  t.response().bodyAsString()).isIn(503, 504);
              assertThat(t.response().getHeader("Content-Type")).isEqualTo("application/problem+json");
              assertThat(t.response().getHeader("Retry-After")).isNotNull();
              assertThat(Integer.parseInt(t.response().getHeader("Retry-After"))).isPositive();
              assertThat(t.elapsedMs()).as("answer time while down").isLessThanOrEqualTo(DEADLINE_MS + MARGIN_MS);
            }
            Timed last = down.get(down.size() - 1);
            assertThat(last.response().bodyAsJsonObject().getString("type")).isEqualTo("/problems/circuit-open");
            assertThat(last.elapsedMs()).as("answer time with the circuit open").isLessThan(OPEN_CIRCUIT_ANSWER_MS);
          });
          return vertx.executeBlocking(() -> {
            postgres.startAgain();
            return null;
          });
        })
        .compose(v -> {
          long back = System.nanoTime();
          return firstSuccess(vertx, back + RECOVERY_LIMIT_MS * 1_000_000L)
              .onSuccess(r -> log.info("First correct answer {} ms after the database was back", (System.nanoTime() - back) / 1_000_000));
        })
        .compose(recovered -> {
          ctx.verify(() -> {
            assertThat(recovered.bodyAsJsonObject()).isEqualTo(expected);
            // Nothing from the outage was cached: the first map after it is read from the database.
            assertThat(recovered.getHeader("Server-Timing")).as("the first 200 after recovery").startsWith("cache;desc=miss");
          });
          return sequentially(20, new ArrayList<>());
        })
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          assertThat(after).allSatisfy(t -> {
            assertThat(t.response().statusCode()).isEqualTo(200);
            assertThat(t.response().bodyAsJsonObject()).isEqualTo(expected);
          });
          ctx.completeNow();
        })));
  }

  @Test
  @Tag("stale-if-error")
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  @DisplayName("With stale-if-error on, a tenant read before the outage gets its last map marked stale, exactly, until cache.staleIfErrorMs; one never read gets 503")
  void staleIfError(Vertx vertx, VertxTestContext ctx) {
    String neverRead = Seed.tenantWithData(postgres.uri());
    long readStarted = System.nanoTime();
    service.getFeatures(tenant)
        .compose(before -> vertx.executeBlocking(() -> {
          postgres.stop();
          return null;
        }))
        .compose(v -> service.getFeatures(tenant))
        .compose(stale -> {
          ctx.verify(() -> {
            assertThat(stale.statusCode()).isEqualTo(200);
            assertThat(stale.bodyAsJsonObject()).isEqualTo(expected);
            assertThat(stale.getHeader("Warning")).isEqualTo("111 tenant-features \"Revalidation Failed\"");
            assertThat(Integer.parseInt(stale.getHeader("Age"))).isBetween(0, STALE_IF_ERROR_MS / 1000);
            // The database was just stopped and the breaker is closed: the failure it stands in for.
            assertThat(stale.getHeader("X-Stale-Reason")).isEqualTo("/problems/database-unavailable");
            assertThat(stale.getHeader("Cache-Control")).isEqualTo("no-store");
          });
          return service.getFeatures(neverRead);
        })
        .compose(fresh -> {
          ctx.verify(() -> {
            assertThat(fresh.statusCode()).isEqualTo(503);
            assertThat(fresh.getHeader("Content-Type")).isEqualTo("application/problem+json");
            assertThat(fresh.getHeader("Warning")).isNull();
          });
          return untilNoLongerStale(vertx, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STALE_IF_ERROR_MS + 3_000L));
        })
        .onComplete(ctx.succeeding(first503 -> ctx.verify(() -> {
          long sinceRead = (first503 - readStarted) / 1_000_000;
          assertThat(sinceRead).as("ms from the last good read to the first answer no longer stale")
              .isGreaterThanOrEqualTo(STALE_IF_ERROR_MS).isLessThan(STALE_IF_ERROR_MS + 1_500L);
          ctx.completeNow();
        })));
  }

  /**
   * Reads the tenant until the answer is no longer its stale map; every stale answer on the way
   * is exactly the last map read. Completes with the time of the first answer that was not.
   */
  private Future<Long> untilNoLongerStale(Vertx vertx, long giveUpAtNanos) {
    return service.getFeatures(tenant).compose(response -> {
      long at = System.nanoTime();
      if (response.statusCode() != 200) {
        assertThat(response.statusCode()).isIn(503, 504);
        assertThat(response.getHeader("Warning")).isNull();
        return Future.succeededFuture(at);
      }
      assertThat(response.bodyAsJsonObject()).as("a stale answer").isEqualTo(expected);
      assertThat(response.getHeader("Warning")).as("a 200 during the outage is marked stale").isNotNull();
      assertThat(at).as("still stale after cache.staleIfErrorMs and 3 s").isLessThan(giveUpAtNanos);
      return vertx.timer(25, TimeUnit.MILLISECONDS).compose(v -> untilNoLongerStale(vertx, giveUpAtNanos));
    });
  }
}
