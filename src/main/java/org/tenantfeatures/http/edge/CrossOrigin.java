package org.tenantfeatures.http.edge;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.http.problem.Problem;
import org.tenantfeatures.http.problem.ProblemResponses;

/**
 * Cross-origin requests from browsers ({@code auth.cors.allowedOrigins}), in front of every route:
 *
 * <ul>
 *   <li>no {@code Origin}, or the service's own (the console's writes carry one): nothing to do;
 *   <li>an allowed origin: Vert.x's {@link CorsHandler} answers the preflight (204) and marks the
 *       answers readable, never with credentials (a page on another origin authenticates with its
 *       token in {@code Authorization}; a cookie must never work from another site);
 *   <li>a preflight from any other origin: 403 {@code cors-origin-refused}, so the browser never
 *       sends the request;
 *   <li>any other request from another origin: served without CORS headers, which the browser
 *       then refuses to show to the page; a client that is not a browser is unaffected.
 * </ul>
 *
 * <p>Not {@code CorsHandler} alone: with no origin configured it allows every origin ("*"), and it
 * refuses a same-origin request that carries {@code Origin} unless that origin is listed.
 */
public final class CrossOrigin implements Handler<RoutingContext> {

  /** What a provider or a page sends: the token, the tenant, JSON bodies, revalidation, the stream's resumption. */
  private static final Set<String> REQUEST_HEADERS = Set.of("Authorization", "Content-Type", "X-Tenant-ID", "If-None-Match",
      "Last-Event-ID", "X-Request-ID");
  /** What a page may read besides the simple headers: the OFREP web provider reads ETag and Retry-After. */
  private static final Set<String> EXPOSED_HEADERS = Set.of("ETag", "X-Revision", "Retry-After", "X-Request-ID", "Server-Timing");

  private final Set<String> allowed;
  private final CorsHandler cors;

  private CrossOrigin(AppConfig.CrossOrigins config) {
    this.allowed = Set.copyOf(config.allowedOrigins());
    this.cors = CorsHandler.create()
        .addOrigins(config.allowedOrigins())
        .allowCredentials(false)
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE))
        .allowedHeaders(REQUEST_HEADERS)
        .exposedHeaders(EXPOSED_HEADERS)
        .maxAgeSeconds(config.maxAgeSeconds());
  }

  public static CrossOrigin of(AppConfig.CrossOrigins config) {
    return new CrossOrigin(config);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin == null || sameOrigin(ctx, origin)) {
      ctx.next();
    } else if (allowed.contains(origin.toLowerCase(Locale.ROOT))) {
      cors.handle(ctx);
    } else if (ctx.request().method() == HttpMethod.OPTIONS && ctx.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null) {
      ProblemResponses.send(ctx, Problem.CORS_ORIGIN_REFUSED, "Origin " + printable(origin)
          + " is not in auth.cors.allowedOrigins; a browser page there cannot call this API.");
    } else {
      ctx.next();
    }
  }

  /** Whether the origin names the host and port the request was sent to (the service's own pages). */
  private static boolean sameOrigin(RoutingContext ctx, String origin) {
    HostAndPort authority = ctx.request().authority();
    if (authority == null) {
      return false;
    }
    try {
      URI uri = new URI(origin);
      if (uri.getHost() == null) {
        return false;
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      int requestPort = authority.port() >= 0 ? authority.port() : ctx.request().isSSL() ? 443 : 80;
      return uri.getHost().equalsIgnoreCase(authority.host()) && port == requestPort;
    } catch (java.net.URISyntaxException notAnOrigin) {
      return false;
    }
  }

  /** The origin as a problem's detail may quote it: at most 200 printable ASCII characters. */
  private static String printable(String origin) {
    String kept = origin.length() > 200 ? origin.substring(0, 200) : origin;
    return "'" + kept.replaceAll("[^\\x20-\\x7e]", "?") + "'";
  }
}
