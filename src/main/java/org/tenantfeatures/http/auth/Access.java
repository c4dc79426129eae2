package org.tenantfeatures.http.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.tenantfeatures.client.TenantIds;
import org.tenantfeatures.config.AppConfig.TokenGrant;
import org.tenantfeatures.http.problem.Problem;
import org.tenantfeatures.http.problem.ProblemResponses;

/**
 * The one access step in front of every protected route: {@link #requires} a permission within a
 * {@link Scope}. Who is asking comes first (401), so that an anonymous caller learns nothing about
 * tenant ids; then, for a tenant's route, which tenant (400) and whether the token reaches it
 * (403 {@code tenant-forbidden}); then the permission (403 naming it); then, for what spans every
 * tenant, a token scoped to all of them (403 {@code all-tenants-required}). On success the grant,
 * and the canonical tenant id for a tenant's route, are in the context for the handlers after it.
 */
public final class Access {

  public static final String TENANT_HEADER = "X-Tenant-ID";
  private static final String TENANT = "tenantId";
  private static final String GRANT = "grant";

  /** What a route reaches, which decides what the token must be scoped to. */
  public enum Scope {
    /** One tenant's data, named by the {@value #TENANT_HEADER} header; the token must reach it. */
    TENANT,
    /** One tenant's record, named by the path's {@code :id}; the token must reach it. */
    TENANT_IN_PATH,
    /** Nothing of any tenant (the catalogue's list): any valid token with the permission. */
    NO_TENANT,
    /** Every tenant's data at once (catalogue changes, diagnostics): the token must be scoped to all. */
    ALL_TENANTS
  }

  private final TokenAuthenticator tokens;
  private final boolean apiKeyToo;

  public Access(TokenAuthenticator tokens) {
    this(tokens, false);
  }

  private Access(TokenAuthenticator tokens, boolean apiKeyToo) {
    this.tokens = tokens;
    this.apiKeyToo = apiKeyToo;
  }

  /** The same checks, with the token also taken from {@code X-API-Key}: OFREP's alternative to a bearer token. */
  public Access withApiKeys() {
    return new Access(tokens, true);
  }

  public Handler<RoutingContext> requires(Permission permission, Scope scope) {
    return ctx -> {
      Optional<TokenGrant> grant = tokens.identify(ctx, apiKeyToo);
      if (grant.isEmpty()) {
        return;
      }
      String tenantId = null;
      if (scope == Scope.TENANT || scope == Scope.TENANT_IN_PATH) {
        Optional<String> named = scope == Scope.TENANT ? namedTenant(ctx, grant.get()) : tenantInPath(ctx, grant.get());
        if (named.isEmpty()) {
          return;
        }
        tenantId = named.get();
      }
      if (!grant.get().may(permission.configName())) {
        ProblemResponses.send(ctx, permission.refused(), "This token has no '" + permission.configName() + "' permission.");
        return;
      }
      if (scope == Scope.ALL_TENANTS && !grant.get().allTenants()) {
        ProblemResponses.send(ctx, Problem.ALL_TENANTS_REQUIRED, "This takes a token scoped to all tenants (\"tenants\": [\"*\"]).");
        return;
      }
      ctx.put(GRANT, grant.get());
      if (tenantId != null) {
        ctx.put(TENANT, tenantId);
      }
      ctx.next();
    };
  }

  /** Any valid token (401 otherwise), whatever its permissions: for what a token may learn of itself. */
  public Handler<RoutingContext> identified() {
    return ctx -> tokens.identify(ctx, apiKeyToo).ifPresent(grant -> {
      ctx.put(GRANT, grant);
      ctx.next();
    });
  }

  /** The tenant a request behind {@code requires(..., TENANT)} is for, canonical. */
  public static String tenantId(RoutingContext ctx) {
    return ctx.get(TENANT);
  }

  /** Whether {@code grant} may reach {@code tenantId}; otherwise the request is answered 403 {@code tenant-forbidden}. */
  public static boolean reaches(RoutingContext ctx, TokenGrant grant, String tenantId) {
    if (grant.allows(tenantId)) {
      return true;
    }
    ProblemResponses.send(ctx, Problem.TENANT_FORBIDDEN, "This token may not reach tenant " + tenantId + ".");
    return false;
  }

  /** The grant of a request behind {@link #requires}. */
  public static TokenGrant grant(RoutingContext ctx) {
    return ctx.get(GRANT);
  }

  /** The path's tenant if it is a UUID the token reaches; otherwise the request is answered and empty. */
  private static Optional<String> tenantInPath(RoutingContext ctx, TokenGrant grant) {
    Optional<String> tenant = TenantIds.canonical(ctx.pathParam("id"));
    if (tenant.isEmpty()) {
      ProblemResponses.send(ctx, Problem.INVALID_TENANT_ID, "The path names a tenant by its UUID, such as 550e8400-e29b-41d4-a716-446655440000.");
    } else if (!reaches(ctx, grant, tenant.get())) {
      return Optional.empty();
    }
    return tenant;
  }

  /** The header's tenant if it is a UUID the token reaches; otherwise the request is answered and empty. */
  private static Optional<String> namedTenant(RoutingContext ctx, TokenGrant grant) {
    String header = ctx.request().getHeader(TENANT_HEADER);
    if (header == null || header.isBlank()) {
      ProblemResponses.send(ctx, Problem.MISSING_TENANT_ID, "Send the tenant's UUID in the " + TENANT_HEADER + " header.");
      return Optional.empty();
    }
    Optional<String> tenant = TenantIds.canonical(header);
    if (tenant.isEmpty()) {
      ProblemResponses.send(ctx, Problem.INVALID_TENANT_ID,
          "The " + TENANT_HEADER + " header must be a UUID such as 550e8400-e29b-41d4-a716-446655440000.");
    } else if (!reaches(ctx, grant, tenant.get())) {
      return Optional.empty();
    }
    return tenant;
  }
}
