package org.tenantfeatures.http.problem;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.tenantfeatures.telemetry.AnswerMetrics;

/** The one writer of error responses: {@code application/problem+json} per RFC 9457. */
public final class ProblemResponses {

  public static final String CONTENT_TYPE = "application/problem+json";

  private ProblemResponses() {
  }

  public static void send(RoutingContext ctx, Problem problem, String detail) {
    send(ctx, problem, detail, 1);
  }

  public static void send(RoutingContext ctx, Problem problem, String detail, long retryAfterSeconds) {
    write(ctx.request(), problem, detail, retryAfterSeconds, ctx.request().path(),
        () -> AnswerMetrics.count(ctx, ctx.request().path(), AnswerMetrics.outcome(problem)));
  }

  /**
   * Writes the problem as the answer to {@code request}, also where no router is involved (a
   * request the HTTP decoder could not read). {@code instance} is the path the problem occurred
   * at, or {@code null} to leave it out because the request had no readable path. Completes when
   * the response is written.
   */
  public static Future<Void> send(HttpServerRequest request, Problem problem, String detail, long retryAfterSeconds,
                                  String instance, AnswerMetrics answers) {
    return write(request, problem, detail, retryAfterSeconds, instance,
        () -> answers.count(request.path(), AnswerMetrics.outcome(problem)));
  }

  /** Writes the problem; {@code count} counts the answer once it is certain to be sent. */
  private static Future<Void> write(HttpServerRequest request, Problem problem, String detail, long retryAfterSeconds,
                                    String instance, Runnable count) {
    HttpServerResponse response = request.response();
    if (response.headWritten()) {
      // Too late for a status; cutting the connection is the only honest signal left.
      return request.connection().close();
    }
    JsonObject body = new JsonObject()
        .put("type", problem.type())
        .put("title", problem.title())
        .put("status", problem.status())
        .put("detail", detail);
    if (instance != null) {
      body.put("instance", instance);
    }
    count.run();
    response.setStatusCode(problem.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Cache-Control", "no-store");
    if (problem.retryable() || problem.status() == 429) {
      response.putHeader("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
    }
    if (problem == Problem.UNAUTHORIZED) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    return response.end(body.toBuffer());
  }
}
