package org.tenantfeatures.events;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.client.ChangeEvent;

/**
 * Drops a tenant's cached map when {@code features.changed} says it changed (every tenant's when
 * the event names none). One per node, next to the cache it clears; idempotent, as events may
 * come twice.
 */
public class CacheInvalidationVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(CacheInvalidationVerticle.class);

  private final TenantMapCache cache;

  public CacheInvalidationVerticle(TenantMapCache cache) {
    this.cache = cache;
  }

  @Override
  public Future<?> start() {
    return ChangeEvent.subscribe(vertx, change -> {
      if (change.allTenants()) {
        cache.invalidateAll();
      } else {
        cache.invalidate(change.tenantId());
      }
      log.debug("Cache dropped {} ({})", change.allTenants() ? "every tenant" : change.tenantId(), change.source());
    }).completion();
  }
}
