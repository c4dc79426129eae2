package org.tenantfeatures.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.tenantfeatures.client.TenantIds;
import org.tenantfeatures.config.AppConfig.TokenGrant;

/**
 * Route handler in front of every tenant endpoint: who is asking (401), for which tenant (400),
 * may they reach it (403 {@code tenant-forbidden}) and do what the route does there (403 naming
 * the missing permission: {@code read} for every route that answers tenant data, {@code write}
 * for changes). The token is checked first so that an anonymous caller learns nothing about
 * tenant ids. On success the canonical tenant id is in the context under {@link #TENANT}.
 */
final class TenantAccess implements Handler<RoutingContext> {

  static final String TENANT_HEADER = "X-Tenant-ID";
  static final String TENANT = "tenantId";
  static final String GRANT = "grant";

  private final TokenAuthenticator authenticator;
  private final String permission;
  private final Problem refused;

  private TenantAccess(TokenAuthenticator authenticator, String permission, Problem refused) {
    this.authenticator = authenticator;
    this.permission = permission;
    this.refused = refused;
  }

  /** For routes that answer a tenant's data. */
  static TenantAccess readers(TokenAuthenticator tokens) {
    return new TenantAccess(tokens, "read", Problem.READ_REQUIRED);
  }

  /** For routes that change a tenant's data. */
  static TenantAccess writers(TokenAuthenticator tokens) {
    return new TenantAccess(tokens, "write", Problem.WRITE_REQUIRED);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Optional<TokenGrant> grant = authenticator.identify(ctx);
    if (grant.isEmpty()) {
      return;
    }
    String header = ctx.request().getHeader(TENANT_HEADER);
    if (header == null || header.isBlank()) {
      ProblemResponses.send(ctx, Problem.MISSING_TENANT_ID, "Send the tenant's UUID in the " + TENANT_HEADER + " header.");
      return;
    }
    Optional<String> tenant = TenantIds.canonical(header);
    if (tenant.isEmpty()) {
      ProblemResponses.send(ctx, Problem.INVALID_TENANT_ID,
          "The " + TENANT_HEADER + " header must be a UUID such as 550e8400-e29b-41d4-a716-446655440000.");
      return;
    }
    if (!grant.get().allows(tenant.get())) {
      ProblemResponses.send(ctx, Problem.TENANT_FORBIDDEN, "This token may not reach tenant " + tenant.get() + ".");
      return;
    }
    if (!grant.get().may(permission)) {
      ProblemResponses.send(ctx, refused, "This token has no '" + permission + "' permission.");
      return;
    }
    ctx.put(TENANT, tenant.get());
    ctx.put(GRANT, grant.get());
    ctx.next();
  }
}
