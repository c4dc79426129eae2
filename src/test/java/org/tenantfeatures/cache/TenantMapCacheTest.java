package org.tenantfeatures.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tenantfeatures.config.AppConfig;

@ExtendWith(VertxExtension.class)
@DisplayName("Tenant map cache")
class TenantMapCacheTest {

  private static final String TENANT = "550e8400-e29b-41d4-a716-446655440000";
  private static final TenantMap MAP = TenantMap.of(TENANT, new JsonObject().put("a", true).put("b", false), 3);

  private static TenantMapCache cache(int ttlMs) {
    return TenantMapCache.create(new AppConfig.Cache(ttlMs, 100, 0));
  }

  @Test
  @DisplayName("Concurrent misses for one tenant share one load, and all get its map")
  void concurrentMissesShareOneLoad(Vertx vertx, VertxTestContext ctx) {
    TenantMapCache cache = cache(60_000);
    AtomicInteger loads = new AtomicInteger();
    Promise<TenantMap> load = Promise.promise();
    List<Future<TenantMap>> callers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      callers.add(cache.get(TENANT, id -> {
        loads.incrementAndGet();
        return load.future();
      }, vertx.getOrCreateContext()));
    }
    load.complete(MAP);
    Future.all(callers).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertThat(loads).hasValue(1);
      assertThat(all.<TenantMap>list()).allMatch(m -> m == MAP);
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("A failed load is not cached: the next caller loads again")
  void failedLoadIsNotCached(Vertx vertx, VertxTestContext ctx) {
    TenantMapCache cache = cache(60_000);
    AtomicInteger loads = new AtomicInteger();
    cache.get(TENANT, id -> {
          loads.incrementAndGet();
          return Future.failedFuture(new TimeoutException("database too slow"));
        }, vertx.getOrCreateContext())
        .transform(first -> {
          ctx.verify(() -> assertThat(first.failed()).isTrue());
          return cache.get(TENANT, id -> {
            loads.incrementAndGet();
            return Future.succeededFuture(MAP);
          }, vertx.getOrCreateContext());
        })
        .onComplete(ctx.succeeding(second -> ctx.verify(() -> {
          assertThat(second).isSameAs(MAP);
          assertThat(loads).hasValue(2);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A cached map is served without loading until it is invalidated")
  void hitsUntilInvalidated(Vertx vertx, VertxTestContext ctx) {
    TenantMapCache cache = cache(60_000);
    AtomicInteger loads = new AtomicInteger();
    var context = vertx.getOrCreateContext();
    Function<String, Future<TenantMap>> loader = countingLoader(loads);
    cache.get(TENANT, loader, context)
        .compose(v -> cache.get(TENANT, loader, context))
        .compose(v -> {
          ctx.verify(() -> assertThat(loads).hasValue(1));
          cache.invalidate(TENANT);
          return cache.get(TENANT, loader, context);
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(loads).hasValue(2);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("With ttl 0 the cache is off: every call loads")
  void ttlZeroDisablesTheCache(Vertx vertx, VertxTestContext ctx) {
    TenantMapCache cache = cache(0);
    AtomicInteger loads = new AtomicInteger();
    var context = vertx.getOrCreateContext();
    Function<String, Future<TenantMap>> loader = countingLoader(loads);
    cache.get(TENANT, loader, context)
        .compose(v -> cache.get(TENANT, loader, context))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(loads).hasValue(2);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("Stale-if-error keeps the last map read even after a failed read, and is off by default")
  void staleIfError(Vertx vertx, VertxTestContext ctx) {
    TenantMapCache off = cache(0);
    TenantMapCache on = TenantMapCache.create(new AppConfig.Cache(0, 100, 60_000));
    var context = vertx.getOrCreateContext();
    ctx.verify(() -> assertThat(on.staleIfError(TENANT)).isEmpty());
    off.get(TENANT, id -> Future.succeededFuture(MAP), context)
        .compose(v -> on.get(TENANT, id -> Future.succeededFuture(MAP), context))
        .transform(v -> on.get(TENANT, id -> Future.failedFuture(new TimeoutException("down")), context))
        .onComplete(failed -> ctx.verify(() -> {
          assertThat(failed.failed()).isTrue();
          assertThat(off.staleIfError(TENANT)).isEmpty();
          assertThat(on.staleIfError(TENANT)).containsSame(MAP);
          on.invalidate(TENANT);
          assertThat(on.staleIfError(TENANT)).isEmpty();
          ctx.completeNow();
        }));
  }

  /** A loader that succeeds with {@link #MAP} and counts its calls. */
  private static Function<String, Future<TenantMap>> countingLoader(AtomicInteger loads) {
    return id -> {
      loads.incrementAndGet();
      return Future.succeededFuture(MAP);
    };
  }

  @Test
  @DisplayName("A read-through that fell short blocks the next until a change of the tenant is heard of; other tenants are unaffected")
  void readThroughThatFellShortIsRemembered() {
    TenantMapCache cache = cache(60_000);
    String other = "11111111-1111-1111-1111-111111111111";
    assertThat(cache.mayReadThrough(TENANT)).isTrue();
    cache.readThroughFellShort(TENANT);
    assertThat(cache.mayReadThrough(TENANT)).isFalse();
    assertThat(cache.mayReadThrough(other)).isTrue();
    cache.invalidate(TENANT);
    assertThat(cache.mayReadThrough(TENANT)).as("after a change of the tenant").isTrue();
    cache.readThroughFellShort(TENANT);
    cache.readThroughFellShort(other);
    cache.invalidateAll();
    assertThat(cache.mayReadThrough(TENANT)).as("after a change of every tenant").isTrue();
    assertThat(cache.mayReadThrough(other)).isTrue();
  }

  @Test
  @DisplayName("Without a cache every read goes to the database anyway: nothing is remembered")
  void noCacheRemembersNothing() {
    TenantMapCache cache = cache(0);
    cache.readThroughFellShort(TENANT);
    assertThat(cache.mayReadThrough(TENANT)).isTrue();
  }

  @Test
  @DisplayName("invalidateAll drops every cached map, so the next read loads")
  void invalidateAllDropsEveryMap(Vertx vertx, VertxTestContext ctx) {
    TenantMapCache cache = cache(60_000);
    AtomicInteger loads = new AtomicInteger();
    java.util.function.Function<String, Future<TenantMap>> loader = id -> {
      loads.incrementAndGet();
      return Future.succeededFuture(MAP);
    };
    cache.get(TENANT, loader, vertx.getOrCreateContext())
        .compose(v -> cache.get(TENANT, loader, vertx.getOrCreateContext()))
        .compose(v -> {
          cache.invalidateAll();
          return cache.get(TENANT, loader, vertx.getOrCreateContext());
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(loads).as("loads: one, a hit, then one after invalidateAll").hasValue(2);
          ctx.completeNow();
        })));
  }
}
