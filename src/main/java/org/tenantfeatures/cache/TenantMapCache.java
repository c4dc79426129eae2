package org.tenantfeatures.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.Function;
import org.tenantfeatures.config.AppConfig;

/**
 * Tenant maps of this node, shared by all HTTP verticle instances. Caffeine gives the three
 * properties the guarantees need: concurrent misses for one tenant share one load (the first
 * caller's future), a load that fails is removed instead of cached, and an entry's TTL starts
 * when its load completes. Only complete maps ever enter: the loader is the database read.
 */
public final class TenantMapCache {

  private final AsyncCache<String, TenantMap> cache;

  private TenantMapCache(AsyncCache<String, TenantMap> cache) {
    this.cache = cache;
  }

  public static TenantMapCache create(AppConfig.Cache config) {
    if (!config.enabled()) {
      return new TenantMapCache(null);
    }
    return new TenantMapCache(Caffeine.newBuilder()
        .expireAfterWrite(Duration.ofMillis(config.ttlMs()))
        .maximumSize(config.maxTenants())
        .buildAsync());
  }

  /**
   * The cached map, or the one {@code loader} reads. The result completes on {@code context},
   * whichever thread finished the shared load.
   */
  public Future<TenantMap> get(String tenantId, Function<String, Future<TenantMap>> loader, Context context) {
    if (cache == null) {
      return loader.apply(tenantId);
    }
    var shared = cache.get(tenantId, (key, executor) -> loader.apply(key).toCompletionStage().toCompletableFuture());
    return Future.fromCompletionStage(shared, context);
  }

  /** Drops a tenant's entry (and any load in flight for it, which then is not cached). */
  public void invalidate(String tenantId) {
    if (cache != null) {
      cache.synchronous().invalidate(tenantId);
    }
  }
}
