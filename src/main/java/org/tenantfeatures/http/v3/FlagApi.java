package org.tenantfeatures.http.v3;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Optional;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.client.Directory;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.FlagChange;
import org.tenantfeatures.client.PlainJson;
import org.tenantfeatures.client.TenantIds;
import org.tenantfeatures.config.AppConfig.TokenGrant;
import org.tenantfeatures.evaluation.Reason;
import org.tenantfeatures.evaluation.Targeting;
import org.tenantfeatures.http.Endpoints;
import org.tenantfeatures.http.FlagNames;
import org.tenantfeatures.http.JsonBodies;
import org.tenantfeatures.http.Page;
import org.tenantfeatures.http.auth.Access;
import org.tenantfeatures.http.problem.Problem;
import org.tenantfeatures.http.problem.ProblemResponses;

/**
 * The flag catalogue, global to all tenants: {@code GET /api/v3/flags} and
 * {@code GET /api/v3/flags/{name}} (a token with {@code read}), {@code POST} (create; a taken name is 409), {@code PATCH /api/v3/flags/{name}}
 * (description), {@code DELETE /api/v3/flags/{name}} (its tenant overrides go with it). Changing
 * the catalogue changes every tenant's map, so it takes the {@code admin} permission on a token
 * scoped to all tenants (checked by {@link Access} before any body is read; see {@link Routes}).
 */
public final class FlagApi {

  static final int MAX_DESCRIPTION = 1000;

  private final Endpoints endpoints;
  private final TenantMapCache cache;

  public FlagApi(Endpoints endpoints, TenantMapCache cache) {
    this.endpoints = endpoints;
    this.cache = cache;
  }

  public void list(RoutingContext ctx) {
    endpoints.answer(ctx, 200, endpoints.database().listFlags(endpoints.call(ctx)));
  }

  /**
   * {@code GET /api/v3/flags/{name}}: the flag, and for a token on all tenants how many tenants
   * override it (what a delete would remove). A token scoped to some tenants is not told: the
   * count is over every tenant, so it would learn of, and could watch, tenants it cannot see.
   */
  public void one(RoutingContext ctx) {
    boolean allTenants = Access.grant(ctx).allTenants();
    endpoints.answer(ctx, 200, endpoints.database().getFlag(ctx.pathParam("name"), endpoints.call(ctx))
        .map(flag -> allTenants ? flag : withoutOverrides(flag)));
  }

  private static JsonObject withoutOverrides(JsonObject flag) {
    JsonObject seen = flag.copy();
    seen.remove(Fields.OVERRIDES);
    return seen;
  }

  public void create(RoutingContext ctx) {
    JsonBodies.object(ctx).ifPresent(body -> {
      String flag = body.getValue(Fields.NAME) instanceof String name ? name : null;
      if (FlagNames.check(ctx, flag)) {
        description(ctx, body).ifPresent(text -> write(ctx, 201, FlagChange.CREATE, flag, text));
      }
    });
  }

  public void describe(RoutingContext ctx) {
    JsonBodies.object(ctx).ifPresent(body -> description(ctx, body).ifPresent(text -> write(ctx, 200, FlagChange.DESCRIBE, ctx.pathParam("name"), text)));
  }

  public void delete(RoutingContext ctx) {
    write(ctx, 200, FlagChange.DELETE, ctx.pathParam("name"), "");
  }

  private void write(RoutingContext ctx, int status, FlagChange change, String name, String description) {
    TokenGrant grant = Access.grant(ctx);
    endpoints.answer(ctx, status, endpoints.database().writeFlag(change, name, description, grant.name(), endpoints.call(ctx))
        .map(reply -> {
          // A new or deleted flag changes every tenant's map: this node's cache opens a new
          // catalogue epoch before the writer hears back, so that its next read here is evaluated
          // with the new catalogue (the change event does it too, on another event loop, in no
          // set order with this reply).
          if (change.changesMaps()) {
            cache.catalogueChanged();
          }
          return reply;
        }));
  }

  /**
   * {@code PUT /api/v3/flags/{name}/targeting}: the flag's default, segment rules and rollout
   * ({@link Targeting}), checked here before anything is sent; a rule naming a segment that does
   * not exist is refused by the database side (422 {@code segment-missing}). Every tenant's map may
   * change: this node's cache opens a new catalogue epoch before the writer hears back, as for a new flag.
   */
  public void target(RoutingContext ctx) {
    JsonBodies.object(ctx).flatMap(body -> JsonBodies.definition(ctx, () -> Targeting.of(PlainJson.of(body)))).ifPresent(targeting -> {
      String dryRun = ctx.request().getParam("dryRun");
      if ("true".equals(dryRun)) {
        endpoints.answer(ctx, 200, endpoints.database().previewTargeting(ctx.pathParam("name"), new JsonObject(targeting.toJson()),
            Directory.MAX_PAGE, endpoints.call(ctx)));
        return;
      }
      if (dryRun != null && !"false".equals(dryRun)) {
        ProblemResponses.send(ctx, Problem.BAD_REQUEST, "'dryRun' is true or false.");
        return;
      }
      endpoints.answer(ctx, 200, endpoints.database().setTargeting(ctx.pathParam("name"), new JsonObject(targeting.toJson()),
          Access.grant(ctx).name(), endpoints.call(ctx)).onSuccess(reply -> cache.catalogueChanged()));
    });
  }

  /**
   * {@code GET /api/v3/flags/{name}/tenants?value=&reason=&limit=&after=} (read, all tenants): how
   * many known tenants get each value by each reason, and a page of them with their value.
   */
  public void population(RoutingContext ctx) {
    Optional<Page<String>> page = Page.of(ctx, "after", TenantIds::canonical, "a tenant id (the previous page's next)");
    if (page.isEmpty()) {
      return;
    }
    String value = ctx.request().getParam("value");
    String reason = ctx.request().getParam("reason");
    if (value != null && !"true".equals(value) && !"false".equals(value)
        || reason != null && Arrays.stream(Reason.values()).noneMatch(r -> r.wire().equals(reason))) {
      ProblemResponses.send(ctx, Problem.BAD_REQUEST, "'value' is true or false; 'reason' is override, segment, rollout or default.");
      return;
    }
    endpoints.answer(ctx, 200, endpoints.database().population(ctx.pathParam("name"), value == null ? null : Boolean.valueOf(value),
        reason, page.get().cursor(), page.get().limit(), endpoints.call(ctx)));
  }

  /**
   * At most {@link #MAX_DESCRIPTION} characters, none of them a control character other than
   * line breaks and tabs: PostgreSQL cannot store NUL, and the others only forge log and audit
   * lines.
   */
  private static Optional<String> description(RoutingContext ctx, JsonObject body) {
    Object text = body.getValue(Fields.DESCRIPTION, "");
    if (!(text instanceof String s) || s.length() > MAX_DESCRIPTION
        || s.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r')) {
      ProblemResponses.send(ctx, Problem.BAD_BODY, "'description' is a string of at most " + MAX_DESCRIPTION
          + " characters, without control characters other than line breaks and tabs.");
      return Optional.empty();
    }
    return Optional.of(s);
  }
}
