package org.tenantfeatures.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The one writer of error responses: {@code application/problem+json} per RFC 9457. */
public final class ProblemResponses {

  public static final String CONTENT_TYPE = "application/problem+json";

  private ProblemResponses() {
  }

  public static void send(RoutingContext ctx, Problem problem, String detail) {
    send(ctx, problem, detail, 1);
  }

  public static void send(RoutingContext ctx, Problem problem, String detail, long retryAfterSeconds) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // Too late for a status; cutting the connection is the only honest signal left.
      ctx.request().connection().close();
      return;
    }
    JsonObject body = new JsonObject()
        .put("type", problem.type())
        .put("title", problem.title())
        .put("status", problem.status())
        .put("detail", detail)
        .put("instance", ctx.request().path());
    response.setStatusCode(problem.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Cache-Control", "no-store");
    if (problem.retryable()) {
      response.putHeader("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
    }
    if (problem == Problem.UNAUTHORIZED) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.end(body.toBuffer());
  }
}
