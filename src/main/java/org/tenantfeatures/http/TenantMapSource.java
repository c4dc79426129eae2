package org.tenantfeatures.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Predicate;
import org.tenantfeatures.cache.CachedMap;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.catalogue.CatalogueCopy;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.Deadline;
import org.tenantfeatures.http.RequestTiming.CacheOutcome;

/**
 * Where every endpoint gets a tenant's complete map: this node's cache, or one read over the bus
 * shared by all who ask at that moment (the v3 read, OFREP, the change streams). A failed read is
 * never cached; nothing here answers a partial map.
 */
public record TenantMapSource(Endpoints endpoints, TenantMapCache cache) {

  /** The tenant's complete map for a request, within a new deadline. */
  public Future<CachedMap> map(RoutingContext ctx, String tenantId) {
    return load(RequestIds.of(ctx), ctx.vertx().getOrCreateContext(), tenantId, endpoints.deadline(), new RequestTiming());
  }

  /** The same outside a request (a change stream's refetch signal), on the caller's context. */
  public Future<CachedMap> map(String tenantId, String requestId, Context context) {
    return load(requestId, context, tenantId, endpoints.deadline(), new RequestTiming());
  }

  /**
   * The tenant's map, read through the cache once if the cached one is not {@code enough} (a
   * caller that knows of a newer map: {@code minRevision}, OFREP's {@code flagConfigEtag}). Not
   * when this request's own read came from the database, nor when such a read fell short for the
   * tenant within the cache period and no change of it was heard of since: a made-up revision or
   * tag costs at most one database read per tenant and cache period. A read that falls short is
   * remembered. The answer may still not be {@code enough}; the caller decides what that means.
   */
  public Future<CachedMap> readThrough(String requestId, Context context, String tenantId, Deadline deadline, RequestTiming timing,
      Predicate<CachedMap> enough) {
    return load(requestId, context, tenantId, deadline, timing).compose(map -> {
      if (enough.test(map)) {
        return Future.succeededFuture(map);
      }
      // Read from the database by this very request: asking again would only cost the database,
      // now and for the rest of the cache period.
      if (timing.cache() == CacheOutcome.MISS) {
        cache.readThroughFellShort(tenantId);
        return Future.succeededFuture(map);
      }
      if (!cache.mayReadThrough(tenantId)) {
        return Future.succeededFuture(map);
      }
      cache.invalidate(tenantId);
      return load(requestId, context, tenantId, deadline, timing).onSuccess(fresh -> {
        if (!enough.test(fresh)) {
          cache.readThroughFellShort(tenantId);
        }
      });
    });
  }

  /** As {@link #readThrough(String, Context, String, Deadline, RequestTiming, Predicate)}, for a request. */
  public Future<CachedMap> readThrough(RoutingContext ctx, String tenantId, Deadline deadline, RequestTiming timing,
      Predicate<CachedMap> enough) {
    return readThrough(RequestIds.of(ctx), ctx.vertx().getOrCreateContext(), tenantId, deadline, timing, enough);
  }

  /** As {@link #map(String, String, Context)}, read from the database again. */
  public Future<CachedMap> reload(String tenantId, String requestId, Context context) {
    cache.invalidate(tenantId);
    return map(tenantId, requestId, context);
  }

  /**
   * The map from this node's cache, or read by one request for all who ask now; {@code timing}
   * learns which. A cached map of an older catalogue epoch (the catalogue changed since its read
   * began) is evaluated again from its inputs with the catalogue of the current epoch, read once
   * for the node, not once per tenant.
   */
  Future<CachedMap> load(String requestId, Context context, String tenantId, Deadline deadline, RequestTiming timing) {
    return cache.get(tenantId, id -> {
      timing.cache(CacheOutcome.MISS);
      long epoch = cache.catalogueEpoch();
      long sent = System.nanoTime();
      Call call = new Call(requestId, deadline);
      return endpoints.database().tenantMap(id, call).map(map -> {
        timing.replied(sent, call);
        return CachedMap.of(map, epoch);
      });
    }, context).compose(map -> current(map, requestId, context, deadline, timing));
  }

  /**
   * The map if its evaluation belongs to the current catalogue epoch, else evaluated again with
   * the epoch's catalogue (and put back in the cache in its place). A map without its inputs is
   * read again instead. Without a cache, a map read across a change is answered as read: it is
   * as recent as a read that began before the change.
   */
  private Future<CachedMap> current(CachedMap map, String requestId, Context context, Deadline deadline, RequestTiming timing) {
    if (!cache.enabled() || map.catalogueEpoch() == cache.catalogueEpoch()) {
      return Future.succeededFuture(map);
    }
    if (map.inputs() == null) {
      cache.invalidate(map.tenantId());
      return load(requestId, context, map.tenantId(), deadline, timing);
    }
    return cache.catalogue(() -> endpoints.database().catalogue(new Call(requestId, deadline)).map(CatalogueCopy::fromJson), context)
        .map(read -> {
          CachedMap reevaluated = CachedMap.of(read.catalogue().result().reevaluate(map.tenantId(), map.inputs(), map.revision()),
              read.epoch());
          cache.replace(map.tenantId(), map, reevaluated);
          return reevaluated;
        });
  }
}
