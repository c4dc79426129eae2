package org.tenantfeatures.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.DatabaseClient;
import org.tenantfeatures.client.Deadline;
import org.tenantfeatures.http.problem.BusFailures;

/**
 * What every endpoint shares, made once per HTTP verticle: the bus client, the request deadline,
 * and the Retry-After an open circuit answers with; and the two ways an endpoint ends: a JSON
 * answer, or the problem its failed bus request stands for. Who may reach an endpoint is
 * {@link Access}'s, before it.
 */
public record Endpoints(DatabaseClient database, int requestTimeoutMs, long circuitRetryAfterSeconds) {

  public static final String JSON = "application/json";

  /** A new request's deadline. */
  public Deadline deadline() {
    return Deadline.in(requestTimeoutMs);
  }

  /** A request's call over the contract: its id and a new deadline. */
  public Call call(RoutingContext ctx) {
    return new Call(RequestIds.of(ctx), deadline());
  }

  /** Answers {@code body} with {@code status} as JSON that no cache may keep, or the problem its failure stands for. */
  public void answer(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(body -> sendJson(ctx, status, body.toBuffer())).onFailure(failure -> fail(ctx, failure));
  }

  /** The problem a failed bus request stands for, answered. */
  public void fail(RoutingContext ctx, Throwable failure) {
    BusFailures.send(ctx, failure, circuitRetryAfterSeconds);
  }

  /** The problem a failed bus request stands for, for an endpoint that may answer otherwise (stale-if-error). */
  public BusFailures.Answer problemFor(RoutingContext ctx, Throwable failure) {
    return BusFailures.toAnswer(failure, circuitRetryAfterSeconds, RequestIds.of(ctx));
  }

  /** A page's {@code limit} query parameter: 1 to 500, 50 when absent; empty when it is anything else. */
  public static Optional<Integer> pageLimit(String text) {
    try {
      int limit = text == null ? 50 : Integer.parseInt(text);
      return limit >= 1 && limit <= 500 ? Optional.of(limit) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public static void sendJson(RoutingContext ctx, int status, Buffer body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).putHeader("Cache-Control", "no-store").end(body);
  }
}
