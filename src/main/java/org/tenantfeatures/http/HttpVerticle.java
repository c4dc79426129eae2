package org.tenantfeatures.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.bus.DatabaseClient;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.config.AppConfig;

/**
 * The HTTP side: authentication, tenant scope, validation, cache, and the mapping of every
 * failure to a problem response. It never touches SQL; it asks the database verticle over the
 * event bus.
 */
public class HttpVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);

  public static final String FEATURES_PATH = "/api/v3/features/tenant";
  public static final String ROLES_PATH = "/api/v3/rbac/roles";

  private final AppConfig config;
  private final TenantMapCache cache;

  public HttpVerticle(AppConfig config, TenantMapCache cache) {
    this.config = config;
    this.cache = cache;
  }

  @Override
  public Future<?> start() {
    long circuitRetryAfter = Math.max(1, (config.db().breaker().resetTimeoutMs() + 999) / 1000);
    TenantApi api = new TenantApi(new DatabaseClient(vertx), cache, config.http().requestTimeoutMs(), circuitRetryAfter);
    TenantAccess access = new TenantAccess(config.tokens());

    Router router = Router.router(vertx);
    router.get(FEATURES_PATH).handler(access).handler(api::features);
    router.get(ROLES_PATH).handler(access).handler(api::roles);
    router.errorHandler(404, ctx -> ProblemResponses.send(ctx, Problem.NOT_FOUND, "No resource at " + ctx.request().path() + "."));
    router.errorHandler(405, this::methodNotAllowed);
    router.errorHandler(500, this::internalError);

    return vertx.createHttpServer(new HttpServerOptions().setHost(config.http().host()).setPort(config.http().port()))
        .requestHandler(router)
        .listen();
  }

  private void methodNotAllowed(RoutingContext ctx) {
    // Every route here is GET-only, so that is what Allow names.
    ctx.response().putHeader("Allow", "GET");
    ProblemResponses.send(ctx, Problem.METHOD_NOT_ALLOWED, ctx.request().method() + " is not supported here.");
  }

  private void internalError(RoutingContext ctx) {
    log.error("Unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
    ProblemResponses.send(ctx, Problem.INTERNAL, "The request failed unexpectedly.");
  }
}
