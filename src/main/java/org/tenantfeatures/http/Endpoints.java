package org.tenantfeatures.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.tenantfeatures.cache.CachedMap;
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
  /** The tenant's revision, on every answer that carries its map. */
  public static final String REVISION_HEADER = "X-Revision";

  /** A new request's deadline. */
  public Deadline deadline() {
    return Deadline.in(requestTimeoutMs);
  }

  /**
   * The map's validators on the answer: {@code ETag} and {@code X-Revision}, and {@code no-cache},
   * not {@code no-store} (a client may keep the map, and must revalidate it). True, with a 304
   * sent, when the request's {@code If-None-Match} names this very map.
   */
  public static boolean notModified(RoutingContext ctx, CachedMap map) {
    ctx.response().putHeader("ETag", map.etag()).putHeader(REVISION_HEADER, Long.toString(map.revision()))
        .putHeader("Cache-Control", "no-cache");
    if (map.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      ctx.response().setStatusCode(304).end();
      return true;
    }
    return false;
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

  public static void sendJson(RoutingContext ctx, int status, Buffer body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).putHeader("Cache-Control", "no-store").end(body);
  }
}
