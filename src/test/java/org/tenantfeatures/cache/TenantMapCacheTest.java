package org.tenantfeatures.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.telemetry.Telemetry;

@DisplayName("Tenant map cache")
class TenantMapCacheTest {

  private static final String TENANT = "550e8400-e29b-41d4-a716-446655440000";
  private static final CachedMap MAP = CachedMap.of(TENANT, new JsonObject().put("a", true).put("b", false), java.util.Set.of("a"), 3);

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final AtomicInteger loads = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  /** A cache whose node hears a change listener (as every node does once its listener is up). */
  private static TenantMapCache cache(int ttlMs) {
    TenantMapCache cache = TenantMapCache.create(new AppConfig.Cache(ttlMs, 100, 0, 0), Telemetry.none());
    cache.changesHeard(true);
    return cache;
  }

  /** A cache (a minute's TTL) that has heard no change listener yet, keeping maps {@code ttlWithoutListenerMs} meanwhile. */
  private static TenantMapCache unheard(int ttlWithoutListenerMs) {
    return TenantMapCache.create(new AppConfig.Cache(60_000, 100, 0, ttlWithoutListenerMs), Telemetry.none());
  }

  /** A read of the tenant whose load, if it runs, counts and answers {@code map}. */
  private CachedMap read(TenantMapCache cache, CachedMap map) throws Exception {
    return await(cache.get(TENANT, id -> {
      loads.incrementAndGet();
      return Future.succeededFuture(map);
    }, context));
  }

  /** {@code count} reads of the tenant at once, whose load, if it runs, counts and answers {@code load}'s map. */
  private List<Future<CachedMap>> concurrentReads(TenantMapCache cache, int count, Promise<CachedMap> load) {
    List<Future<CachedMap>> callers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      callers.add(cache.get(TENANT, id -> {
        loads.incrementAndGet();
        return load.future();
      }, vertx.getOrCreateContext()));
    }
    return callers;
  }

  private static CachedMap atRevision(long revision) {
    return CachedMap.of(TENANT, new JsonObject().put("a", revision % 2 == 0).put("b", false), java.util.Set.of("a"), revision);
  }

  /** A read of the tenant through {@code cache} whose load, if it runs, counts and succeeds with {@link #MAP}. */
  private CachedMap read(TenantMapCache cache) throws Exception {
    return read(cache, MAP);
  }

  /** Two reads one after the other: a cache that keeps the map loads once for both. */
  private TenantMapCache readTwice(TenantMapCache cache) throws Exception {
    read(cache);
    read(cache);
    return cache;
  }

  @Test
  @DisplayName("Concurrent misses for one tenant share one load, and all get its map")
  void concurrentMissesShareOneLoad() throws Exception {
    TenantMapCache cache = cache(60_000);
    Promise<CachedMap> load = Promise.promise();
    List<Future<CachedMap>> callers = concurrentReads(cache, 10, load);
    load.complete(MAP);
    assertThat(await(Future.all(callers)).<CachedMap>list()).hasSize(10).allMatch(m -> m == MAP);
    assertThat(loads).hasValue(1);
  }

  @ParameterizedTest(name = "dropped by {0}")
  @ValueSource(strings = {"invalidate", "invalidateAll"})
  @DisplayName("A load in flight when the tenant's map is dropped is not cached: a read that raced a write cannot put the older map back")
  void loadRacingAnInvalidationIsNotCached(String drop) throws Exception {
    TenantMapCache cache = cache(60_000);
    Promise<CachedMap> racing = Promise.promise();
    // The read started before the write committed: it will answer the older map.
    Future<CachedMap> early = cache.get(TENANT, id -> {
      loads.incrementAndGet();
      return racing.future();
    }, context);
    // The write's change is heard while that read is still in flight...
    if (drop.equals("invalidate")) {
      cache.invalidate(TENANT);
    } else {
      cache.invalidateAll();
    }
    CachedMap older = CachedMap.of(TENANT, new JsonObject().put("a", false).put("b", false), java.util.Set.of(), 2);
    racing.complete(older);
    assertThat(await(early)).as("the racing read's own caller gets what it read").isSameAs(older);
    // ...so the next read loads again, and gets the map after the write.
    assertThat(read(cache)).isSameAs(MAP);
    assertThat(loads.get()).isEqualTo(2);
    assertThat(read(cache)).as("and that one is cached").isSameAs(MAP);
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  @DisplayName("A failed load is not cached: the next caller loads again")
  void failedLoadIsNotCached() throws Exception {
    TenantMapCache cache = cache(60_000);
    assertThatThrownBy(() -> await(cache.get(TENANT, id -> {
      loads.incrementAndGet();
      return Future.failedFuture(new TimeoutException("database too slow"));
    }, context))).hasRootCauseInstanceOf(TimeoutException.class);
    assertThat(read(cache)).isSameAs(MAP);
    assertThat(loads).hasValue(2);
  }

  @ParameterizedTest(name = "dropped for every tenant: {0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("A cached map is served without loading until the tenant's map, or every map, is dropped")
  void hitsUntilDropped(boolean everyTenant) throws Exception {
    TenantMapCache cache = readTwice(cache(60_000));
    assertThat(loads).as("one load, then a hit").hasValue(1);
    if (everyTenant) {
      cache.invalidateAll();
    } else {
      cache.invalidate(TENANT);
    }
    read(cache);
    assertThat(loads).as("a load after the drop").hasValue(2);
  }

  @Test
  @DisplayName("With ttl 0 the cache is off: every call loads")
  void ttlZeroDisablesTheCache() throws Exception {
    readTwice(cache(0));
    assertThat(loads).as("no map kept").hasValue(2);
  }

  @Test
  @DisplayName("Stale-if-error keeps the last map read even after a failed read, and is off by default")
  void staleIfError() throws Exception {
    TenantMapCache off = cache(0);
    TenantMapCache on = TenantMapCache.create(new AppConfig.Cache(0, 100, 60_000, 0), Telemetry.none());
    assertThat(on.staleIfError(TENANT)).isEmpty();
    read(off);
    read(on);
    assertThatThrownBy(() -> await(on.get(TENANT, id -> Future.failedFuture(new TimeoutException("down")), context)));
    assertThat(off.staleIfError(TENANT)).isEmpty();
    assertThat(on.staleIfError(TENANT)).containsSame(MAP);
    on.invalidate(TENANT);
    assertThat(on.staleIfError(TENANT)).isEmpty();
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
  @DisplayName("The revision fence: a map older than a revision announced for its tenant is answered but never kept, whenever its read began")
  void mapOlderThanAnAnnouncedRevisionIsNotKept() throws Exception {
    TenantMapCache cache = cache(60_000);
    // The change to revision 4 is announced before this read even starts, and yet the read
    // answers revision 3 (a replica behind, a reply overtaken on the bus): no timing saves it.
    cache.invalidate(TENANT, 4L);
    CachedMap older = atRevision(3);
    assertThat(read(cache, older)).as("its own caller gets what it read").isSameAs(older);
    assertThat(read(cache, older)).as("but it was not kept: the next caller reads again").isSameAs(older);
    assertThat(loads).hasValue(2);
    CachedMap current = atRevision(4);
    assertThat(read(cache, current)).isSameAs(current);
    assertThat(read(cache, atRevision(3))).as("the announced revision is kept").isSameAs(current);
    assertThat(loads).hasValue(3);
    cache.invalidate(TENANT, 2L);
    CachedMap newer = atRevision(5);
    assertThat(read(cache, newer)).isSameAs(newer);
    assertThat(read(cache, current)).as("an older announcement late on the bus moves the fence back by nothing").isSameAs(newer);
    assertThat(loads).hasValue(4);
  }

  @Test
  @DisplayName("Without a change listener heard nothing is kept (ttlWithoutListenerMs 0), though a load in flight is shared")
  void untrustedWithoutAListener() throws Exception {
    TenantMapCache cache = readTwice(unheard(0));
    assertThat(loads).as("before any listener is heard").hasValue(2);
    Promise<CachedMap> load = Promise.promise();
    List<Future<CachedMap>> callers = concurrentReads(cache, 5, load);
    load.complete(MAP);
    assertThat(await(Future.all(callers)).<CachedMap>list()).hasSize(5);
    assertThat(loads).as("concurrent misses still share one load").hasValue(3);
  }

  @Test
  @DisplayName("Losing the listener drops every map; hearing one again drops them again, and a load begun without it is not kept")
  void listenerLossAndReturn() throws Exception {
    TenantMapCache cache = readTwice(cache(60_000));
    assertThat(loads).as("kept while the listener is heard").hasValue(1);
    assertThat(cache.changesHeard(false)).isTrue();
    assertThat(cache.changesHeard(false)).as("said twice, changes nothing").isFalse();
    readTwice(cache);
    assertThat(loads).as("dropped, and not kept while unheard").hasValue(3);
    // A read begun while changes went unheard, finishing after the listener is back: it may have
    // read before a change that nobody announced, so it must not be kept.
    Promise<CachedMap> unheard = Promise.promise();
    Future<CachedMap> racing = cache.get(TENANT, id -> {
      loads.incrementAndGet();
      return unheard.future();
    }, context);
    assertThat(cache.changesHeard(true)).isTrue();
    unheard.complete(atRevision(1));
    await(racing);
    assertThat(read(cache)).isSameAs(MAP);
    assertThat(read(cache)).as("kept again").isSameAs(MAP);
    assertThat(loads).hasValue(5);
  }

  @Test
  @DisplayName("With ttlWithoutListenerMs a map is kept that long while no listener is heard (a deployment without LISTEN)")
  void shortLifetimeWithoutAListener() throws Exception {
    readTwice(unheard(60_000));
    assertThat(loads).as("kept for ttlWithoutListenerMs").hasValue(1);
  }

  @Test
  @DisplayName("A map evaluated again replaces only the very map it came from, and never waits for a load in flight")
  void reevaluatedMapReplacesOnlyItsOrigin() throws Exception {
    TenantMapCache cache = cache(60_000);
    CachedMap cached = read(cache, MAP);
    CachedMap again = CachedMap.of(TENANT, new JsonObject().put("a", true).put("b", true), java.util.Set.of("a"), 3);
    cache.replace(TENANT, cached, again);
    assertThat(read(cache, MAP)).as("replaced").isSameAs(again);
    cache.replace(TENANT, cached, MAP);
    assertThat(read(cache, MAP)).as("not over a map it did not come from").isSameAs(again);

    // A load in flight (its promise never completed): the synchronous view's replace waited for
    // it, blocking the event loop that would complete it (FaultInjectionIT saw it).
    cache.invalidate(TENANT);
    concurrentReads(cache, 1, Promise.promise());
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> cache.replace(TENANT, again, MAP), "replace returns at once");
  }

  @Test
  @DisplayName("A catalogue is read once an epoch, again after a failed read, and a new epoch begins with every drop of all maps")
  void catalogueEpochs() throws Exception {
    TenantMapCache cache = cache(60_000);
    AtomicInteger reads = new AtomicInteger();
    java.util.function.Supplier<Future<org.tenantfeatures.catalogue.CatalogueCopy>> reader = () -> {
      reads.incrementAndGet();
      return Future.succeededFuture(org.tenantfeatures.catalogue.CatalogueCopy.NONE);
    };
    long first = cache.catalogueEpoch();
    assertThat(await(cache.catalogue(reader, context)).epoch()).isEqualTo(first);
    await(cache.catalogue(reader, context));
    assertThat(reads.get()).as("one read for the epoch").isEqualTo(1);
    cache.catalogueChanged();
    assertThat(await(cache.catalogue(reader, context)).epoch()).isEqualTo(first + 1);
    assertThat(reads.get()).isEqualTo(2);
    cache.invalidateAll();
    assertThat(cache.catalogueEpoch()).as("dropping every map may have missed a catalogue change").isEqualTo(first + 2);
    AtomicInteger failing = new AtomicInteger();
    assertThatThrownBy(() -> await(cache.catalogue(() -> {
      failing.incrementAndGet();
      return Future.failedFuture(new IllegalStateException("database down"));
    }, context))).hasMessageContaining("database down");
    await(cache.catalogue(reader, context));
    assertThat(reads.get()).as("read again after the failed read").isEqualTo(3);
  }
}
