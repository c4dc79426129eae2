package org.tenantfeatures.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tenantfeatures.catalogue.CatalogueCopy;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.telemetry.Telemetry;

/**
 * Tenant maps of this node, shared by all HTTP verticle instances. Caffeine gives the properties
 * the guarantees need: concurrent misses for one tenant share one load (the first caller's
 * future), a load that fails is removed instead of cached, a load in flight when its tenant (or
 * every tenant) is dropped is not cached when it completes, and an entry's lifetime starts when
 * its load completes. Only complete maps ever enter: the loader is the database read.
 *
 * <p>The cache is coherent: a map stays until a change of its tenant or of the catalogue drops
 * it, {@code cache.ttlMs} being only a safety net, but only while a change listener is heard
 * ({@link #changesHeard}); without one, changes may go unannounced, so every map is dropped and
 * new ones live {@code cache.ttlWithoutListenerMs} (0: not kept, a read goes to the database,
 * sharing a load in flight). And a revision fence: a map older than a revision already announced
 * for its tenant is answered to its own callers but never kept, whatever the order in which the
 * read and the announcement arrive.
 *
 * <p>A change of the catalogue (a flag, a targeting, a segment) does not drop the maps: it opens a
 * new catalogue epoch, and a map evaluated in an older one is evaluated again, from the inputs
 * kept with it, with the catalogue this node reads once for the new epoch ({@link #catalogue}),
 * when it is next asked for. A map read whose read started before the change is such a map too.
 * Whatever drops every map (a change of every tenant's inputs, a listener lost or found) opens a
 * new epoch as well, since a change of the catalogue may have been missed with it.
 *
 * <p>With stale-if-error on, it also keeps each tenant's last successfully read map for
 * {@code cache.staleIfErrorMs}, for the HTTP side to serve, marked as stale, when a read fails.
 */
public final class TenantMapCache {

  private final AsyncCache<String, Slot> cache;
  /** The newest revision announced of each tenant (the fence); forgotten after {@code cache.ttlMs}, as entries are. */
  private final Cache<String, Long> announced;
  private final Cache<String, CachedMap> lastGood;
  private final long staleIfErrorMs;
  /**
   * Tenants whose map was just read through for a {@code minRevision} that the database had not
   * reached: for one cache period (or until a change of the tenant is heard of) a higher
   * revision is not asked of the database again, so a made-up revision costs one read.
   */
  private final Cache<String, Boolean> readThroughFellShort;
  private final long ttlNanos;
  private final long ttlWithoutListenerNanos;
  /** Whether a change listener is heard; until the first is, the cache does not trust itself. */
  private volatile boolean listenerHeard;
  /** The catalogue epoch: one more with every change of the catalogue heard of (and every drop of all maps). */
  private final AtomicLong catalogueEpoch = new AtomicLong();
  /** The catalogue read for an epoch, shared by every map evaluated again in it; null until asked for. */
  private volatile EpochCatalogue epochCatalogue;
  private final Counter reevaluations;
  private final Counter catalogueReads;

  /**
   * A cache entry: the tenant's map, which a re-evaluation replaces in place. Replacing it through
   * the cache (a compute on its map view) cost 1–9 ms of the event loop per tenant on this 2-core
   * machine (Caffeine's write path and its maintenance), 150 ms for 40 cached tenants after a
   * catalogue change (ClusterIT); a compare-and-set here costs nothing, and the entry's
   * lifetime, decided when it was read, stays as it was.
   */
  private static final class Slot {
    private static final AtomicReferenceFieldUpdater<Slot, CachedMap> MAP =
        AtomicReferenceFieldUpdater.newUpdater(Slot.class, CachedMap.class, "map");
    private volatile CachedMap map;

    Slot(CachedMap map) {
      this.map = map;
    }

    CachedMap map() {
      return map;
    }

    void replace(CachedMap old, CachedMap next) {
      MAP.compareAndSet(this, old, next);
    }
  }

  /** A catalogue and the epoch it was read for (its read started after that epoch began). */
  public record EpochCatalogue(long epoch, Future<CatalogueCopy> catalogue) {
  }

  private TenantMapCache(AppConfig.Cache config, MeterRegistry registry) {
    reevaluations = registry == null ? null : Counter.builder("tenant_features_cache_reevaluations")
        .description("Cached maps evaluated again from their inputs after a change of the catalogue (no database read each)")
        .register(registry);
    catalogueReads = registry == null ? null : Counter.builder("tenant_features_catalogue_reads")
        .description("Reads of the whole catalogue, one per change of it heard of and asked for")
        .register(registry);
    ttlNanos = TimeUnit.MILLISECONDS.toNanos(config.ttlMs());
    ttlWithoutListenerNanos = TimeUnit.MILLISECONDS.toNanos(config.ttlWithoutListenerMs());
    staleIfErrorMs = config.staleIfErrorMs();
    lastGood = config.staleIfError() ? bounded(config, config.staleIfErrorMs()) : null;
    if (!config.enabled()) {
      cache = null;
      announced = null;
      readThroughFellShort = null;
      return;
    }
    announced = bounded(config, config.ttlMs());
    readThroughFellShort = bounded(config, config.ttlMs());
    Caffeine<String, Slot> builder = Caffeine.newBuilder()
        .expireAfter(Expiry.<String, Slot>creating((tenantId, slot) -> Duration.ofNanos(lifetimeNanos(tenantId, slot.map()))))
        .maximumSize(config.maxTenants());
    if (registry == null) {
      cache = builder.buildAsync();
      return;
    }
    // Hits, misses, loads and evictions as cache_* series with cache="tenant_maps".
    cache = CaffeineCacheMetrics.monitor(registry, builder.recordStats().buildAsync(), "tenant_maps");
    Gauge.builder("tenant_features_cache_listener_heard", this, c -> c.listenerHeard ? 1 : 0)
        .description("1 while a change listener is heard and cached maps are kept until a change drops them")
        .register(registry);
  }

  private static <V> Cache<String, V> bounded(AppConfig.Cache config, long lifetimeMs) {
    return Caffeine.newBuilder().expireAfterWrite(Duration.ofMillis(lifetimeMs)).maximumSize(config.maxTenants()).build();
  }

  /** A cache counted in the node's meters ({@link Telemetry#none()}: in none, the start-up warm-up's). */
  public static TenantMapCache create(AppConfig.Cache config, Telemetry telemetry) {
    return new TenantMapCache(config, telemetry.registry().orElse(null));
  }

  /**
   * How long a map just read may stay: not at all if its tenant has a newer revision announced
   * (the fence), {@code cache.ttlWithoutListenerMs} while no listener is heard, else
   * {@code cache.ttlMs}. Asked when the load completes, not when it starts.
   */
  private long lifetimeNanos(String tenantId, CachedMap map) {
    Long newest = announced.getIfPresent(tenantId);
    if (newest != null && map.revision() < newest) {
      return 0;
    }
    return listenerHeard ? ttlNanos : ttlWithoutListenerNanos;
  }

  /**
   * Whether a change listener is heard now; when that changes, every map is dropped (and any load
   * in flight is not kept): maps kept without a listener may have missed a change, and maps kept
   * with one may miss the next. Stale-if-error keeps its last maps: they are served marked stale,
   * with their age, when a read fails, as the listener's loss often comes with the database's.
   * Answers whether it changed.
   */
  public synchronized boolean changesHeard(boolean heard) {
    if (heard == listenerHeard) {
      return false;
    }
    listenerHeard = heard;
    dropFresh();
    return true;
  }

  /** Whether maps are kept at all ({@code cache.enabled}). */
  public boolean enabled() {
    return cache != null;
  }

  /** The current catalogue epoch. */
  public long catalogueEpoch() {
    return catalogueEpoch.get();
  }

  /**
   * The catalogue changed (or may have): every map evaluated before is evaluated again from its
   * inputs when next asked for, with a catalogue read after this moment.
   */
  public void catalogueChanged() {
    catalogueEpoch.incrementAndGet();
    epochCatalogue = null;
  }

  /**
   * The catalogue of the current epoch: read by {@code reader} once for all who ask in the epoch
   * (again if that read failed). The future completes on {@code context}.
   */
  public Future<EpochCatalogue> catalogue(Supplier<Future<CatalogueCopy>> reader, Context context) {
    EpochCatalogue current;
    synchronized (this) {
      long epoch = catalogueEpoch.get();
      current = epochCatalogue;
      if (current == null || current.epoch() != epoch || current.catalogue().failed()) {
        current = new EpochCatalogue(epoch, reader.get());
        if (catalogueReads != null) {
          catalogueReads.increment();
        }
        epochCatalogue = current;
      }
    }
    EpochCatalogue read = current;
    return Future.fromCompletionStage(read.catalogue().toCompletionStage(), context).map(catalogue -> read);
  }

  /**
   * Replaces the tenant's cached map {@code old} by {@code reevaluated} (the same inputs evaluated
   * again with a newer catalogue), unless the entry changed or went meanwhile: a change of the
   * tenant dropped it, or another caller replaced it first.
   */
  public void replace(String tenantId, CachedMap old, CachedMap reevaluated) {
    if (reevaluations != null) {
      reevaluations.increment();
    }
    if (cache != null) {
      // Only over the very map that was read: a change of the tenant dropped the entry (a new
      // load has a new slot), or another caller replaced the map first. A read of the map view
      // counts no hit.
      CompletableFuture<Slot> entry = cache.asMap().get(tenantId);
      if (entry != null && entry.isDone() && !entry.isCompletedExceptionally()) {
        entry.join().replace(old, reevaluated);
      }
    }
  }

  /**
   * The cached map, or the one {@code loader} reads. The result completes on {@code context},
   * whichever thread finished the shared load.
   */
  public Future<CachedMap> get(String tenantId, Function<String, Future<CachedMap>> loader, Context context) {
    Function<String, Future<CachedMap>> load = lastGood == null ? loader
        : id -> loader.apply(id).onSuccess(map -> lastGood.put(id, map));
    if (cache == null) {
      return load.apply(tenantId);
    }
    var shared = cache.get(tenantId, (key, executor) -> load.apply(key).map(Slot::new).toCompletionStage().toCompletableFuture());
    // Mapped after the conversion: a stage mapped before it would fail with a CompletionException
    // around the load's own failure, which callers must see as it is (a 503, not a 500).
    return Future.fromCompletionStage(shared, context).map(Slot::map);
  }

  /** The last map read for the tenant, if stale-if-error is on and it is not older than its bound. */
  public Optional<CachedMap> staleIfError(String tenantId) {
    if (lastGood == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(lastGood.getIfPresent(tenantId)).filter(map -> map.ageMs() <= staleIfErrorMs);
  }

  /**
   * Whether the tenant's map may be read through (past this cache) for a revision newer than
   * the cached one: not if such a read fell short within the cache period and no change of the
   * tenant has been heard of since. Without a cache every read goes to the database anyway.
   */
  public boolean mayReadThrough(String tenantId) {
    return readThroughFellShort == null || readThroughFellShort.getIfPresent(tenantId) == null;
  }

  /** A read-through found the database behind the revision asked for. */
  public void readThroughFellShort(String tenantId) {
    if (readThroughFellShort != null) {
      readThroughFellShort.put(tenantId, Boolean.TRUE);
    }
  }

  /** Drops every entry: a change that concerns all tenants, or notifications that were missed. */
  public void invalidateAll() {
    dropFresh();
    if (lastGood != null) {
      lastGood.invalidateAll();
    }
  }

  /** Drops every map served as fresh; stale-if-error's last maps stay, as they are never served as fresh. */
  private void dropFresh() {
    catalogueChanged();
    if (cache != null) {
      cache.synchronous().invalidateAll();
    }
    if (readThroughFellShort != null) {
      readThroughFellShort.invalidateAll();
    }
  }

  /**
   * A change of the tenant was announced, at {@code revision} (null if unknown): drops its entry,
   * and from now on never keeps a map of it older than that revision.
   */
  public void invalidate(String tenantId, Long revision) {
    if (announced != null && revision != null) {
      announced.asMap().merge(tenantId, revision, Math::max);
    }
    invalidate(tenantId);
  }

  /** Drops a tenant's entry (and any load in flight for it, which then is not cached). */
  public void invalidate(String tenantId) {
    if (cache != null) {
      cache.synchronous().invalidate(tenantId);
    }
    if (lastGood != null) {
      lastGood.invalidate(tenantId);
    }
    if (readThroughFellShort != null) {
      readThroughFellShort.invalidate(tenantId);
    }
  }
}
