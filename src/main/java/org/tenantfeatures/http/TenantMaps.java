package org.tenantfeatures.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;
import org.tenantfeatures.cache.TenantMap;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.client.Deadline;
import org.tenantfeatures.client.FeatureBus.Fields;

/**
 * Where every endpoint gets a tenant's complete map: this node's cache, or one read over the bus
 * shared by all who ask at that moment (the v3 read, OFREP, the change streams). A failed read is
 * never cached; nothing here answers a partial map.
 */
record TenantMaps(Endpoints endpoints, TenantMapCache cache) {

  /** The tenant's complete map for a request, within a new deadline. */
  Future<TenantMap> map(RoutingContext ctx, String tenantId) {
    return load(RequestIds.of(ctx), ctx.vertx().getOrCreateContext(), tenantId, endpoints.deadline(), new RequestTiming());
  }

  /** The same outside a request (a change stream's refetch signal), on the caller's context. */
  Future<TenantMap> map(String tenantId, String requestId, Context context) {
    return load(requestId, context, tenantId, endpoints.deadline(), new RequestTiming());
  }

  /**
   * A fresh read instead of {@code cached}, for a caller that knows of a newer map ({@code wanted}
   * tag), unless such a read fell short for this tenant within the cache period: then
   * {@code cached} (the same bound as {@code minRevision}'s).
   */
  Future<TenantMap> readThroughFor(RoutingContext ctx, String tenantId, TenantMap cached, String wanted) {
    if (!cache.mayReadThrough(tenantId)) {
      return Future.succeededFuture(cached);
    }
    cache.invalidate(tenantId);
    return map(ctx, tenantId).onSuccess(fresh -> {
      if (!fresh.etag().equals(wanted)) {
        cache.readThroughFellShort(tenantId);
      }
    });
  }

  /** As {@link #map(String, String, Context)}, read from the database again. */
  Future<TenantMap> reload(String tenantId, String requestId, Context context) {
    cache.invalidate(tenantId);
    return map(tenantId, requestId, context);
  }

  /** The map from this node's cache, or read by one request for all who ask now; {@code timing} learns which. */
  Future<TenantMap> load(String requestId, Context context, String tenantId, Deadline deadline, RequestTiming timing) {
    return cache.get(tenantId, id -> {
      timing.cache.set("miss");
      long sent = System.nanoTime();
      return endpoints.database().tenantFeatures(id, deadline, requestId).map(reply -> {
        timing.busMs = (System.nanoTime() - sent) / 1e6;
        timing.dbMs = reply.getDouble(Fields.DB_MS, -1.0);
        Set<String> overridden = new HashSet<>();
        reply.getJsonArray(Fields.OVERRIDDEN, new JsonArray()).forEach(flag -> overridden.add((String) flag));
        return TenantMap.of(id, reply.getJsonObject(Fields.FEATURES), overridden, reply.getLong(Fields.REVISION, 0L));
      });
    }, context);
  }
}
