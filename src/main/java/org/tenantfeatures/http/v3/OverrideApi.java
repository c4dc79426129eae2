package org.tenantfeatures.http.v3;

import io.vertx.ext.web.RoutingContext;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.config.AppConfig.TokenGrant;
import org.tenantfeatures.http.Endpoints;
import org.tenantfeatures.http.JsonBodies;
import org.tenantfeatures.http.auth.Access;
import org.tenantfeatures.telemetry.AnswerMetrics;

/**
 * {@code PUT /api/v3/features/tenant/{flag}} with {@code {"enabled": true|false}} sets the
 * caller's tenant's override (idempotent); {@code DELETE} removes it, so the flag falls back to
 * false. The answer is {@code {tenantId, flag, enabled, revision}} once the write and its audit
 * row are committed.
 */
public record OverrideApi(Endpoints endpoints, TenantMapCache cache) {

  public void set(RoutingContext ctx) {
    JsonBodies.enabled(ctx).ifPresent(enabled -> write(ctx, enabled));
  }

  public void clear(RoutingContext ctx) {
    write(ctx, null);
  }

  private void write(RoutingContext ctx, Boolean enabled) {
    String tenantId = Access.tenantId(ctx);
    TokenGrant grant = Access.grant(ctx);
    endpoints.database().setOverride(tenantId, ctx.pathParam("flag"), enabled, grant.name(), endpoints.call(ctx))
        .onSuccess(change -> {
          // This node's cache forgets the tenant before the writer hears back, so the writer's
          // next read here sees its write; other nodes hear of it through features.changed.
          cache.invalidate(tenantId);
          AnswerMetrics.count(ctx, ctx.request().path(), "written");
          Endpoints.sendJson(ctx, 200, change.toBuffer());
        })
        .onFailure(failure -> endpoints.fail(ctx, failure));
  }
}
