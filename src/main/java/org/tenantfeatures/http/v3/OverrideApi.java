package org.tenantfeatures.http.v3;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.config.AppConfig.TokenGrant;
import org.tenantfeatures.http.Endpoints;
import org.tenantfeatures.http.FlagNames;
import org.tenantfeatures.http.JsonBodies;
import org.tenantfeatures.http.Page;
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

  /** {@code GET /api/v3/audit?limit=50&before=<id>}: the caller's tenant's audit entries, newest first. */
  public void audit(RoutingContext ctx) {
    Optional<Page<Long>> page = Page.of(ctx, "before", OverrideApi::entryId, "an entry id (the previous page's next)");
    if (page.isEmpty()) {
      return;
    }
    String flag = ctx.request().getParam("flag");
    if (flag != null && !FlagNames.check(ctx, flag)) {
      return;
    }
    endpoints.answer(ctx, 200, endpoints.database().auditPage(Access.tenantId(ctx), page.get().limit(), page.get().cursor(), flag,
        endpoints.call(ctx)));
  }

  private static Optional<Long> entryId(String text) {
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
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
