package org.tenantfeatures.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;
import java.util.function.Supplier;
import org.tenantfeatures.evaluation.InvalidDefinition;
import org.tenantfeatures.http.problem.Problem;
import org.tenantfeatures.http.problem.ProblemResponses;

/**
 * The only way a body is read: after the caller's token and permission are checked (the routes
 * put these handlers after them), only as {@code application/json}, only up to the route's
 * limit, and only into memory. Anything else ({@code multipart/form-data} above all, which
 * Vert.x's default body handler stores as files) is answered 415 before a byte of it is read.
 */
public final class JsonBodies {

  private JsonBodies() {
  }

  /** {@code Content-Type: application/json}, with or without parameters, or 415. */
  static void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    String media = type == null ? "" : type.split(";", 2)[0].trim();
    if (!media.equalsIgnoreCase("application/json")) {
      ProblemResponses.send(ctx, Problem.UNSUPPORTED_MEDIA_TYPE, "Send the body as Content-Type: application/json.");
      return;
    }
    ctx.next();
  }

  /** The body as a JSON object; empty, with a 400 {@code bad-body} answered, when it is none. */
  public static Optional<JsonObject> object(RoutingContext ctx) {
    return object(ctx, "Send a JSON object.");
  }

  /** {@code {"enabled": true|false}}'s value; empty, with a 400 {@code bad-body} answered, for anything else. */
  /**
   * The definition {@code parse} reads from a body (a targeting, a segment), or empty with the
   * request answered 400 {@code bad-body} naming the rule it breaks ({@link InvalidDefinition}).
   */
  public static <T> Optional<T> definition(RoutingContext ctx, Supplier<T> parse) {
    try {
      return Optional.of(parse.get());
    } catch (InvalidDefinition e) {
      ProblemResponses.send(ctx, Problem.BAD_BODY, e.getMessage());
      return Optional.empty();
    }
  }

  public static Optional<Boolean> enabled(RoutingContext ctx) {
    String expected = "Send {\"enabled\": true} or {\"enabled\": false}.";
    Optional<JsonObject> body = object(ctx, expected);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    if (body.get().getValue("enabled") instanceof Boolean enabled) {
      return Optional.of(enabled);
    }
    ProblemResponses.send(ctx, Problem.BAD_BODY, expected);
    return Optional.empty();
  }

  private static Optional<JsonObject> object(RoutingContext ctx, String expected) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body != null) {
        return Optional.of(body);
      }
    } catch (RuntimeException notJson) {
      // answered below
    }
    ProblemResponses.send(ctx, Problem.BAD_BODY, expected);
    return Optional.empty();
  }

  /** Reads the body into memory, up to {@code limitBytes} (413 beyond); never a file upload. */
  static BodyHandler reader(long limitBytes) {
    return BodyHandler.create(false).setBodyLimit(limitBytes);
  }
}
