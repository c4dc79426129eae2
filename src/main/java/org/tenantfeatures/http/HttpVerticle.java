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
import org.tenantfeatures.boot.Lifecycle;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.client.DatabaseClient;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.http.auth.Access;
import org.tenantfeatures.http.auth.TokenAuthenticator;
import org.tenantfeatures.http.edge.ConnectionGuard;
import org.tenantfeatures.http.edge.CrossOrigin;
import org.tenantfeatures.http.edge.StrictRequestDecoder;
import org.tenantfeatures.http.ofrep.ChangeStreams;
import org.tenantfeatures.http.ofrep.NodeStreams;
import org.tenantfeatures.http.ofrep.OfrepApi;
import org.tenantfeatures.http.ofrep.StreamTickets;
import org.tenantfeatures.http.ops.ApiDocument;
import org.tenantfeatures.http.ops.OpsApi;
import org.tenantfeatures.http.problem.Problem;
import org.tenantfeatures.http.problem.ProblemResponses;
import org.tenantfeatures.http.v3.AuditApi;
import org.tenantfeatures.http.v3.DirectoryApi;
import org.tenantfeatures.http.v3.FlagApi;
import org.tenantfeatures.http.v3.OverrideApi;
import org.tenantfeatures.http.v3.SegmentApi;
import org.tenantfeatures.http.v3.TenantApi;
import org.tenantfeatures.http.v3.TenantRecordApi;
import org.tenantfeatures.telemetry.Telemetry;

/**
 * The HTTP side: the server, its limits, and the answers to what no route takes (unreadable
 * requests, unknown paths and methods, unhandled failures). What each path does is in
 * {@link Routes}. It never touches SQL; the endpoints ask the database verticle over the event bus.
 */
public class HttpVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);

  private final AppConfig config;
  private final TenantMapCache cache;
  private final Lifecycle lifecycle;
  private final ConnectionGuard connections;
  private final NodeStreams streamNode;
  private final Telemetry telemetry;
  private HttpServer server;
  private ChangeStreams streams;

  /** {@code connections} and {@code streamNode} are the node's, shared by its HTTP verticles. */
  public HttpVerticle(AppConfig config, TenantMapCache cache, Lifecycle lifecycle, ConnectionGuard connections, NodeStreams streamNode,
      Telemetry telemetry) {
    this.telemetry = telemetry;
    this.config = config;
    this.cache = cache;
    this.lifecycle = lifecycle;
    this.connections = connections;
    this.streamNode = streamNode;
  }

  @Override
  public Future<?> start() {
    // An open circuit is tried again after the breaker's reset time: that is when to come back.
    long circuitRetryAfter = Math.max(1, (config.db().breaker().resetTimeoutMs() + 999) / 1000);
    // A node with a database verticle asks its own, so that no request of it depends on another
    // node (one leaving or dying fails none of them); an HTTP-only node asks the cluster's.
    DatabaseClient database = !config.cluster().database()
        ? new DatabaseClient(vertx) : DatabaseClient.local(vertx);
    Endpoints endpoints = new Endpoints(database, config.http().requestTimeoutMs(), circuitRetryAfter);
    Router router = Router.router(vertx);
    TenantMapSource maps = new TenantMapSource(endpoints, cache);
    TokenAuthenticator tokens = new TokenAuthenticator(config.tokens());
    streams = new ChangeStreams(vertx, new StreamTickets(tokens, config.http().streams().ticketTtlSeconds()), maps, streamNode);
    Routes.mount(router, new Access(tokens), new TenantApi(endpoints, maps), new OverrideApi(endpoints, cache), new FlagApi(endpoints, cache),
        new OfrepApi(endpoints, maps, streams), new DirectoryApi(endpoints),
        new ReleaseApis(new SegmentApi(endpoints, cache), new TenantRecordApi(endpoints, cache)), new AuditApi(endpoints),
        CrossOrigin.of(config.crossOrigins()), new OpsApi(vertx, config, lifecycle, endpoints), ApiDocument.fromJar(),
        telemetry, config.http().metrics());
    // The router fails with 400 itself for a request it cannot route: a path with an invalid
    // percent-encoding, or an HTTP/1.1 request without a Host header.
    router.errorHandler(400, this::badRequest);
    router.errorHandler(404, ctx -> ProblemResponses.send(ctx, Problem.NOT_FOUND, "No resource at " + ctx.request().path() + "."));
    router.errorHandler(405, this::methodNotAllowed);
    router.errorHandler(413, ctx -> ProblemResponses.send(ctx, Problem.REQUEST_TOO_LARGE, "The request body is larger than this resource accepts."));
    // The console's file handler: a Range outside the file (Content-Range, already set, gives its length).
    router.errorHandler(416, ctx -> ProblemResponses.send(ctx, Problem.RANGE_NOT_SATISFIABLE,
        "The requested range is not within the file: Content-Range gives its length."));
    router.errorHandler(500, this::internalError);

    HttpServerOptions options = serverOptions(config.http());
    server = vertx.createHttpServer(options)
        .connectionHandler(connection -> connections.accept(connection, options))
        .requestHandler(router)
        .invalidRequestHandler(this::invalidRequest);
    return streams.start().compose(v -> server.listen());
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

  /** The port the server listens on: the configured one, or the one the system chose for port 0. */
  public int actualPort() {
    return server.actualPort();
  }

  /** Stops accepting, and lets requests in flight finish within {@code http.shutdownTimeoutMs}. */
  @Override
  public Future<?> stop() {
    // Change streams never end by themselves: ended first, or the shutdown would wait them out.
    streams.stop();
    return server.shutdown(config.http().shutdownTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  /**
   * A request the HTTP decoder could not read (request line over 4096 bytes, headers over 8 KB,
   * a malformed request line or header, ambiguous framing, more than one Host header): Vert.x
   * answers it here, before any router, and by default with an empty body. The statuses are
   * Vert.x's own choice ({@code HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER}); only the body
   * is ours. The connection is closed afterwards, as there, because the decoder's state is not to
   * be trusted.
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
    } else if (cause instanceof StrictRequestDecoder.AmbiguousHostException) {
      problem = Problem.BAD_REQUEST;
      detail = "The request has more than one Host header (RFC 9112 §3.2): send exactly one.";
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
    ProblemResponses.send(request, problem, detail, 1, null, telemetry.answers())
        .onComplete(written -> request.connection().close());
  }

  private void badRequest(RoutingContext ctx) {
    log.debug("Request refused by the router on {}: {}", ctx.request().uri(), String.valueOf(ctx.failure()));
    ProblemResponses.send(ctx, Problem.BAD_REQUEST,
        "The request cannot be routed: check the path's percent-encoding and the Host header.");
  }

  private void methodNotAllowed(RoutingContext ctx) {
    ctx.response().putHeader("Allow", Routes.allowedMethods(ctx.request().path()));
    ProblemResponses.send(ctx, Problem.METHOD_NOT_ALLOWED, ctx.request().method() + " is not supported here.");
  }

  private void internalError(RoutingContext ctx) {
    log.error("req={} Unhandled failure on {} {}", RequestIds.of(ctx), ctx.request().method(), ctx.request().path(), ctx.failure());
    ProblemResponses.send(ctx, Problem.INTERNAL, "The request failed unexpectedly.");
  }
}
