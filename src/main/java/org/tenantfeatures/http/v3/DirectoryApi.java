package org.tenantfeatures.http.v3;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Optional;
import java.util.TreeSet;
import org.tenantfeatures.client.TenantIds;
import org.tenantfeatures.config.AppConfig.TokenGrant;
import org.tenantfeatures.http.Endpoints;
import org.tenantfeatures.http.Page;
import org.tenantfeatures.http.auth.Access;

/**
 * What a token may find out before it asks for data, which a console needs to draw itself:
 * {@code GET /api/v3/token}, the token's own name, permissions and tenants (any valid token; never
 * the token itself), and {@code GET /api/v3/tenants}, the tenants whose overrides were ever
 * changed, paged by id and limited to the token's tenants.
 */
public final class DirectoryApi {

  private final Endpoints endpoints;

  public DirectoryApi(Endpoints endpoints) {
    this.endpoints = endpoints;
  }

  /** {@code {"name", "permissions": [...], "tenants": "*" | [ids]}}. */
  public void token(RoutingContext ctx) {
    TokenGrant grant = Access.grant(ctx);
    JsonObject body = new JsonObject()
        .put("name", grant.name())
        .put("permissions", new JsonArray(new ArrayList<>(new TreeSet<>(grant.permissions()))))
        .put("tenants", grant.allTenants() ? "*" : new JsonArray(new ArrayList<>(new TreeSet<>(grant.tenants()))));
    ctx.response().putHeader("Cache-Control", "no-store");
    Endpoints.sendJson(ctx, 200, body.toBuffer());
  }

  /** {@code ?limit=1..500 (50)&after=<tenant id>}: {@code {"tenants": [{tenantId, revision, overrides}], "next"}}. */
  public void tenants(RoutingContext ctx) {
    Optional<Page<String>> page = Page.of(ctx, "after", TenantIds::canonical, "a tenant id (the previous page's next)");
    if (page.isEmpty()) {
      return;
    }
    TokenGrant grant = Access.grant(ctx);
    endpoints.answer(ctx, 200, endpoints.database().tenantPage(page.get().cursor(), page.get().limit(),
        grant.allTenants() ? null : grant.tenants(), endpoints.call(ctx)));
  }
}
