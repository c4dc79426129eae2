package org.tenantfeatures.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.Lifecycle;
import org.tenantfeatures.client.DatabaseClient;
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
  public static final String OVERRIDE_PATH = FEATURES_PATH + "/:flag";
  public static final String AUDIT_PATH = "/api/v3/audit";
  public static final String FLAGS_PATH = "/api/v3/flags";

  private final AppConfig config;
  private final TenantMapCache cache;
  private final Lifecycle lifecycle;
  private final ConnectionGuard connections;
  private HttpServer server;

  public HttpVerticle(AppConfig config, TenantMapCache cache, Lifecycle lifecycle, ConnectionGuard connections) {
    this.config = config;
    this.cache = cache;
    this.lifecycle = lifecycle;
    this.connections = connections;
  }

  @Override
  public Future<?> start() {
    // An open circuit is tried again after the breaker's reset time: that is when to come back.
    long circuitRetryAfter = Math.max(1, (config.db().breaker().resetTimeoutMs() + 999) / 1000);
    Endpoints endpoints = new Endpoints(new DatabaseClient(vertx), new TokenAuthenticator(config.tokens()),
        config.http().requestTimeoutMs(), circuitRetryAfter);
    TenantApi api = new TenantApi(endpoints, cache);
    TenantAccess readers = TenantAccess.readers(endpoints.tokens());
    TenantAccess writers = TenantAccess.writers(endpoints.tokens());

    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    router.route().handler(HttpVerticle::decodableQuery);
    router.get(FEATURES_PATH).handler(readers).handler(api::features);
    router.get(ROLES_PATH).handler(readers).handler(api::roles);
    OverrideApi overrides = new OverrideApi(endpoints, cache);
    // A body is read only once the caller may send it, only as JSON, only into memory: the
    // token, tenant and permission checks run first, on a route of their own, since Vert.x Web
    // refuses a body handler behind other handlers of one route (an asynchronous one could let
    // the body go by unread; these checks are synchronous, and the router holds the body back
    // until a body handler asks for it). 1 KB is ample for {"enabled": true}.
    router.put(OVERRIDE_PATH).handler(writers).handler(OverrideApi::flagName).handler(JsonBodies::requireJson);
    router.put(OVERRIDE_PATH).handler(JsonBodies.reader(1024)).handler(overrides::set);
    router.delete(OVERRIDE_PATH).handler(writers).handler(OverrideApi::flagName).handler(overrides::clear);
    router.get(AUDIT_PATH).handler(readers).handler(overrides::audit);
    FlagApi flags = new FlagApi(endpoints);
    router.get(FLAGS_PATH).handler(flags::list);
    router.post(FLAGS_PATH).handler(flags::catalogueAdmin).handler(JsonBodies::requireJson);
    router.post(FLAGS_PATH).handler(JsonBodies.reader(4096)).handler(flags::create);
    router.patch(FLAGS_PATH + "/:name").handler(flags::catalogueAdmin).handler(JsonBodies::requireJson);
    router.patch(FLAGS_PATH + "/:name").handler(JsonBodies.reader(4096)).handler(flags::describe);
    router.delete(FLAGS_PATH + "/:name").handler(flags::catalogueAdmin).handler(flags::delete);
    new OpsRoutes(vertx, config, lifecycle, endpoints).mount(router);
    // The router fails with 400 itself for a request it cannot route: a path with an invalid
    // percent-encoding, or an HTTP/1.1 request without a Host header.
    router.errorHandler(400, this::badRequest);
    router.errorHandler(404, ctx -> ProblemResponses.send(ctx, Problem.NOT_FOUND, "No resource at " + ctx.request().path() + "."));
    router.errorHandler(405, this::methodNotAllowed);
    router.errorHandler(413, ctx -> ProblemResponses.send(ctx, Problem.REQUEST_TOO_LARGE, "The request body is larger than this resource accepts."));
    router.errorHandler(500, this::internalError);

    HttpServerOptions options = serverOptions(config.http());
    server = vertx.createHttpServer(options)
        .connectionHandler(connection -> connections.accept(connection, options))
        .requestHandler(router)
        .invalidRequestHandler(this::invalidRequest);
    return server.listen();
  }

  /**
   * Where the listener is, and what a client may hold of it: the idle timeout closes a
   * connection without traffic; the header deadline and the connection cap are
   * {@link ConnectionGuard}'s. Cleartext HTTP/2 only when configured.
   */
  static HttpServerOptions serverOptions(AppConfig.Http http) {
    return new HttpServerOptions()
        .setHost(http.host())
        .setPort(http.port())
        .setIdleTimeout(http.limits().idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setHttp2ClearTextEnabled(http.limits().h2c());
  }

  /** Stops accepting, and lets requests in flight finish within {@code http.shutdownTimeoutMs}. */
  @Override
  public Future<?> stop() {
    return server.shutdown(config.http().shutdownTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  /**
   * A request the HTTP decoder could not read (request line over 4096 bytes, headers over 8 KB,
   * a malformed request line or header): Vert.x answers it here, before any router, and by
   * default with an empty body. The statuses are Vert.x's own choice
   * ({@code HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER}); only the body is ours. The
   * connection is closed afterwards, as there, because the decoder's state is not to be trusted.
   */
  private void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Problem problem;
    String detail;
    if (cause instanceof TooLongHttpLineException) {
      problem = Problem.URI_TOO_LONG;
      detail = "The request line is longer than the server accepts.";
    } else if (cause instanceof TooLongHttpHeaderException) {
      problem = Problem.HEADERS_TOO_LARGE;
      detail = "The request headers are larger than the server accepts.";
    } else if (cause instanceof StrictRequestDecoder.FramingException framing) {
      problem = Problem.BAD_REQUEST;
      detail = "The request's body length is ambiguous (" + framing.getMessage() + "): send Content-Length, "
          + "or Transfer-Encoding: chunked alone over HTTP/1.1.";
    } else {
      problem = Problem.BAD_REQUEST;
      detail = "The request is not valid HTTP/1.1: check the request line and the headers.";
    }
    log.debug("Invalid HTTP request answered with {}: {}", problem.status(), String.valueOf(cause));
    request.response().putHeader("Connection", "close");
    // No instance: the path of a request that could not be read is not to be trusted, if there is one.
    ProblemResponses.send(request, problem, detail, 1, null)
        .onComplete(written -> request.connection().close());
  }

  private void badRequest(RoutingContext ctx) {
    log.debug("Request refused by the router on {}: {}", ctx.request().uri(), String.valueOf(ctx.failure()));
    ProblemResponses.send(ctx, Problem.BAD_REQUEST,
        "The request cannot be routed: check the path's percent-encoding and the Host header.");
  }

  /**
   * A query string that is not valid percent-encoding ({@code ?%}) makes every later parameter
   * lookup throw; it is refused here, once, as the client's mistake it is (BadInputIT found it
   * answered with a 500 when minRevision was added).
   */
  private static void decodableQuery(RoutingContext ctx) {
    try {
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      ProblemResponses.send(ctx, Problem.BAD_REQUEST, "The query string is not valid percent-encoding.");
      return;
    }
    ctx.next();
  }

  private void methodNotAllowed(RoutingContext ctx) {
    String path = ctx.request().path();
    String allow = path.startsWith(FEATURES_PATH + "/") ? "PUT, DELETE"
        : path.equals(FLAGS_PATH) ? "GET, POST"
        : path.startsWith(FLAGS_PATH + "/") ? "PATCH, DELETE"
        : "GET";
    ctx.response().putHeader("Allow", allow);
    ProblemResponses.send(ctx, Problem.METHOD_NOT_ALLOWED, ctx.request().method() + " is not supported here.");
  }

  private void internalError(RoutingContext ctx) {
    log.error("req={} Unhandled failure on {} {}", RequestIds.of(ctx), ctx.request().method(), ctx.request().path(), ctx.failure());
    ProblemResponses.send(ctx, Problem.INTERNAL, "The request failed unexpectedly.");
  }
}
