package org.tenantfeatures.cache;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.bus.FeatureBus;
import org.tenantfeatures.bus.FeatureBus.Fields;

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
    return vertx.eventBus().<JsonObject>consumer(FeatureBus.FEATURES_CHANGED, message -> {
      String tenant = message.body().getString(Fields.TENANT_ID);
      if (tenant == null) {
        cache.invalidateAll();
      } else {
        cache.invalidate(tenant);
      }
      log.debug("Cache dropped {} ({})", tenant == null ? "every tenant" : tenant, message.body().getString(Fields.SOURCE));
    }).completion();
  }
}
