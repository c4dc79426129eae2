package org.tenantfeatures.events;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.client.ChangeEvent;
import org.tenantfeatures.client.ChangeListenerState;

/**
 * Keeps this node's cache coherent: drops a tenant's cached map when {@code features.changed}
 * says it changed (every tenant's when the event names none), has every map evaluated again when
 * the catalogue alone changed, and tells the cache whether any
 * change listener is heard ({@code features.change-listeners}), so that it trusts its maps only
 * while changes are sure to be announced. One per node, next to the cache it clears; idempotent,
 * as events may come twice. Until it hears a listener the cache does not trust itself: it is
 * told of its node's own at start, and hears the others' within their heartbeat.
 */
public class CacheInvalidationVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(CacheInvalidationVerticle.class);

  private final TenantMapCache cache;
  private final ListenerPresence listeners = new ListenerPresence();
  private final ChangeListenerState ownListener;

  /** @param ownListener the state of this node's own listener, deployed before (null: none) */
  public CacheInvalidationVerticle(TenantMapCache cache, ChangeListenerState ownListener) {
    this.cache = cache;
    this.ownListener = ownListener;
  }

  @Override
  public Future<?> start() {
    // A listener that falls silent (its node crashed, the cluster lost it) says nothing more.
    vertx.setPeriodic(ChangeListenerState.HEARTBEAT_MS, tick -> hearsListeners(listeners.anyHeard(System.nanoTime())));
    return ChangeListenerState.subscribe(vertx, state -> hearsListeners(listeners.heard(state, System.nanoTime())))
        .completion()
        .onSuccess(v -> {
          if (ownListener != null) {
            hearsListeners(listeners.heard(ownListener, System.nanoTime()));
          }
        })
        .compose(v -> ChangeEvent.subscribe(vertx, change -> {
          if (change.catalogue()) {
            cache.catalogueChanged();
          } else if (change.allTenants()) {
            cache.invalidateAll();
          } else {
            cache.invalidate(change.tenantId(), change.revision());
          }
          log.debug("Cache {} ({})", change.catalogue() ? "re-evaluates every tenant" : change.allTenants() ? "dropped every tenant"
              : "dropped " + change.tenantId(), change.source());
        }).completion());
  }

  private void hearsListeners(boolean any) {
    if (cache.changesHeard(any)) {
      if (any) {
        log.info("A change listener is heard: cached maps are kept until a change drops them");
      } else {
        log.warn("No change listener heard: cached maps dropped, and kept at most cache.ttlWithoutListenerMs until one is back");
      }
    }
  }
}
