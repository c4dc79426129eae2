package org.tenantfeatures.http.v3;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.client.PlainJson;
import org.tenantfeatures.evaluation.Segment;
import org.tenantfeatures.http.Endpoints;
import org.tenantfeatures.http.JsonBodies;
import org.tenantfeatures.http.auth.Access;

/**
 * Segments, named sets of tenants every flag's rules may use: {@code GET /api/v3/segments} (names
 * and counts), {@code GET /api/v3/segments/{name}} (the definition and the flags using it),
 * {@code PUT} (create or replace) and {@code DELETE} (refused, naming the flags, while in use).
 * A segment lists tenants and tests their attributes, so reading one takes a token scoped to all
 * tenants, and changing one, which may change every tenant's map, the {@code admin} permission too.
 */
public final class SegmentApi {

  private final Endpoints endpoints;
  private final TenantMapCache cache;

  public SegmentApi(Endpoints endpoints, TenantMapCache cache) {
    this.endpoints = endpoints;
    this.cache = cache;
  }

  public void list(RoutingContext ctx) {
    endpoints.answer(ctx, 200, endpoints.database().listSegments(endpoints.call(ctx)));
  }

  public void one(RoutingContext ctx) {
    endpoints.answer(ctx, 200, endpoints.database().getSegment(ctx.pathParam("name"), endpoints.call(ctx)));
  }

  /** Checked here ({@link Segment#of}) before anything is sent; this node's cache forgets every map once it committed. */
  public void put(RoutingContext ctx) {
    JsonBodies.object(ctx).flatMap(body -> JsonBodies.definition(ctx, () -> Segment.of(ctx.pathParam("name"), PlainJson.of(body))))
        .ifPresent(segment -> endpoints.answer(ctx, 200, endpoints.database().putSegment(segment.name(),
            new JsonObject(segment.definition()), Access.grant(ctx).name(), endpoints.call(ctx))
            .onSuccess(reply -> cache.catalogueChanged())));
  }

  public void delete(RoutingContext ctx) {
    endpoints.answer(ctx, 200, endpoints.database().deleteSegment(ctx.pathParam("name"), Access.grant(ctx).name(),
        endpoints.call(ctx)).onSuccess(reply -> cache.catalogueChanged()));
  }
}
