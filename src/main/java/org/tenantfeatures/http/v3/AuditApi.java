package org.tenantfeatures.http.v3;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.OptionalLong;
import org.tenantfeatures.http.Endpoints;
import org.tenantfeatures.http.FlagNames;
import org.tenantfeatures.http.Page;
import org.tenantfeatures.http.QueryNumbers;
import org.tenantfeatures.http.auth.Access;

/**
 * The audit log, newest first, a page at a time ({@code ?limit=50&before=<id>}, the previous
 * page's {@code next}): a tenant's entries (its overrides, its record) for a token on that tenant,
 * and the catalogue's (flags made and deleted, targeting, segments) for a token on all tenants.
 */
public record AuditApi(Endpoints endpoints) {

  /** {@code GET /api/v3/audit?flag=}: the caller's tenant's entries, of one flag if asked. */
  public void tenant(RoutingContext ctx) {
    Optional<Page<Long>> page = page(ctx);
    String flag = ctx.request().getParam("flag");
    if (page.isEmpty() || flag != null && !FlagNames.check(ctx, flag)) {
      return;
    }
    endpoints.answer(ctx, 200, endpoints.database().auditPage(Access.tenantId(ctx), page.get().limit(), page.get().cursor(), flag,
        endpoints.call(ctx)));
  }

  /**
   * {@code GET /api/v3/audit/catalogue?flag=&segment=}: the entries that concern no one tenant
   * (who changed a targeting or a segment, with before and after), of one flag or segment if asked.
   */
  public void catalogue(RoutingContext ctx) {
    Optional<Page<Long>> page = page(ctx);
    String flag = ctx.request().getParam("flag");
    String segment = ctx.request().getParam("segment");
    if (page.isEmpty() || flag != null && !FlagNames.check(ctx, flag) || segment != null && !FlagNames.checkSegment(ctx, segment)) {
      return;
    }
    endpoints.answer(ctx, 200, endpoints.database().catalogueAuditPage(page.get().limit(), page.get().cursor(), flag, segment,
        endpoints.call(ctx)));
  }

  /** The page asked for, or empty with the request answered 400. */
  private static Optional<Page<Long>> page(RoutingContext ctx) {
    return Page.of(ctx, "before", AuditApi::entryId, "an entry id (the previous page's next)");
  }

  private static Optional<Long> entryId(String text) {
    OptionalLong id = QueryNumbers.parse(text, 0, Long.MAX_VALUE);
    return id.isPresent() ? Optional.of(id.getAsLong()) : Optional.empty();
  }
}
