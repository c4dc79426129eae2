package org.tenantfeatures.http.v3;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.tenantfeatures.client.TenantIds;
import org.tenantfeatures.config.AppConfig.TokenGrant;
import org.tenantfeatures.evaluation.Attributes;
import org.tenantfeatures.http.Endpoints;
import org.tenantfeatures.http.Page;
import org.tenantfeatures.http.auth.Access;
import org.tenantfeatures.http.problem.Problem;
import org.tenantfeatures.http.problem.ProblemResponses;

/**
 * What a token may find out before it asks for data, which a console needs to draw itself:
 * {@code GET /api/v3/token}, the token's own name, permissions and tenants (any valid token; never
 * the token itself), and {@code GET /api/v3/tenants}, the tenants the service knows of (a record,
 * or overrides ever changed), paged by id, searchable by name prefix and attribute, limited to the
 * token's tenants.
 */
public final class DirectoryApi {

  /** A JSON number, of sane length: an attribute searched for as a number. */
  private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?");

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

  /**
   * {@code ?limit=1..500 (50)&after=<tenant id>&prefix=<name prefix>&attribute=<name>:<value>}:
   * {@code {"tenants": [{tenantId, name, attributes, revision, overrides}], "next"}}. The prefix
   * ignores case; an attribute's value is read as JSON if it is a number, true or false, else as a
   * string (which also matches a list attribute holding it).
   */
  public void tenants(RoutingContext ctx) {
    Optional<Page<String>> page = Page.of(ctx, "after", TenantIds::canonical, "a tenant id (the previous page's next)");
    if (page.isEmpty()) {
      return;
    }
    String prefix = ctx.request().getParam("prefix");
    if (prefix != null && (prefix.isEmpty() || prefix.length() > TenantRecordApi.MAX_NAME)) {
      ProblemResponses.send(ctx, Problem.BAD_REQUEST, "'prefix' is 1 to " + TenantRecordApi.MAX_NAME + " characters.");
      return;
    }
    String attributeParam = ctx.request().getParam("attribute");
    JsonObject attribute = null;
    if (attributeParam != null) {
      int colon = attributeParam.indexOf(':');
      if (colon < 1 || colon > Attributes.MAX_NAME || attributeParam.length() - colon - 1 > Attributes.MAX_STRING) {
        ProblemResponses.send(ctx, Problem.BAD_REQUEST, "'attribute' is <name>:<value>, such as plan:enterprise or seats:120.");
        return;
      }
      attribute = new JsonObject().put(attributeParam.substring(0, colon), searchedValue(attributeParam.substring(colon + 1)));
    }
    TokenGrant grant = Access.grant(ctx);
    endpoints.answer(ctx, 200, endpoints.database().tenantPage(page.get().cursor(), page.get().limit(),
        grant.allTenants() ? null : grant.tenants(), prefix == null ? null : prefix.toLowerCase(Locale.ROOT), attribute,
        endpoints.call(ctx)));
  }

  /** {@code true}, {@code false} and JSON numbers as themselves; anything else the string it is. */
  private static Object searchedValue(String text) {
    if ("true".equals(text) || "false".equals(text)) {
      return Boolean.valueOf(text);
    }
    if (NUMBER.matcher(text).matches()) {
      return new BigDecimal(text);
    }
    return text;
  }

}
