package org.tenantfeatures.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.tenantfeatures.config.AppConfig;

/**
 * Tenant maps of this node, shared by all HTTP verticle instances. Caffeine gives the three
 * properties the guarantees need: concurrent misses for one tenant share one load (the first
 * caller's future), a load that fails is removed instead of cached, and an entry's TTL starts
 * when its load completes. Only complete maps ever enter: the loader is the database read.
 *
 * <p>With stale-if-error on, it also keeps each tenant's last successfully read map for
 * {@code cache.staleIfErrorMs}, for the HTTP side to serve, marked as stale, when a read fails.
 */
public final class TenantMapCache {

  private final AsyncCache<String, TenantMap> cache;
  private final Cache<String, TenantMap> lastGood;
  private final long staleIfErrorMs;
  /**
   * Tenants whose map was just read through for a {@code minRevision} that the database had not
   * reached: for one cache period (or until a change of the tenant is heard of) a higher
   * revision is not asked of the database again, so a made-up revision costs one read.
   */
  private final Cache<String, Boolean> readThroughFellShort;

  private TenantMapCache(AsyncCache<String, TenantMap> cache, Cache<String, TenantMap> lastGood, long staleIfErrorMs,
                         Cache<String, Boolean> readThroughFellShort) {
    this.cache = cache;
    this.lastGood = lastGood;
    this.staleIfErrorMs = staleIfErrorMs;
    this.readThroughFellShort = readThroughFellShort;
  }

  public static TenantMapCache create(AppConfig.Cache config) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    AsyncCache<String, TenantMap> fresh = null;
    if (config.enabled()) {
      Caffeine<Object, Object> builder = Caffeine.newBuilder()
          .expireAfterWrite(Duration.ofMillis(config.ttlMs()))
          .maximumSize(config.maxTenants());
      if (registry != null) {
        // Hits, misses, loads and evictions as cache_* series with cache="tenant_maps".
        fresh = CaffeineCacheMetrics.monitor(registry, builder.recordStats().<String, TenantMap>buildAsync(), "tenant_maps");
      } else {
        fresh = builder.buildAsync();
      }
    }
    Cache<String, TenantMap> lastGood = !config.staleIfError() ? null : Caffeine.newBuilder()
        .expireAfterWrite(Duration.ofMillis(config.staleIfErrorMs()))
        .maximumSize(config.maxTenants())
        .build();
    Cache<String, Boolean> fellShort = !config.enabled() ? null : Caffeine.newBuilder()
        .expireAfterWrite(Duration.ofMillis(config.ttlMs()))
        .maximumSize(config.maxTenants())
        .build();
    return new TenantMapCache(fresh, lastGood, config.staleIfErrorMs(), fellShort);
  }

  /**
   * The cached map, or the one {@code loader} reads. The result completes on {@code context},
   * whichever thread finished the shared load.
   */
  public Future<TenantMap> get(String tenantId, Function<String, Future<TenantMap>> loader, Context context) {
    Function<String, Future<TenantMap>> load = lastGood == null ? loader
        : id -> loader.apply(id).onSuccess(map -> lastGood.put(id, map));
    if (cache == null) {
      return load.apply(tenantId);
    }
    var shared = cache.get(tenantId, (key, executor) -> load.apply(key).toCompletionStage().toCompletableFuture());
    return Future.fromCompletionStage(shared, context);
  }

  /** The last map read for the tenant, if stale-if-error is on and it is not older than its bound. */
  public Optional<TenantMap> staleIfError(String tenantId) {
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
    if (cache != null) {
      cache.synchronous().invalidateAll();
    }
    if (lastGood != null) {
      lastGood.invalidateAll();
    }
    if (readThroughFellShort != null) {
      readThroughFellShort.invalidateAll();
    }
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
