package org.tenantfeatures.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
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
 * Vert.x's default body handler stores as files) is answered 415 before a byte of it is read. A
 * body that names a key twice in one object is refused ({@link #strict}).
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
      if (strict(ctx.body().buffer()) instanceof JsonObject body) {
        return Optional.of(body);
      }
    } catch (DuplicateKeyException twice) {
      ProblemResponses.send(ctx, Problem.BAD_BODY, twice.getMessage() + " " + expected);
      return Optional.empty();
    } catch (RuntimeException notJson) {
      // answered below
    }
    ProblemResponses.send(ctx, Problem.BAD_BODY, expected);
    return Optional.empty();
  }

  /** A JSON text that names a key twice in one object; its message says which key, for a problem's detail. */
  public static final class DuplicateKeyException extends DecodeException {
    DuplicateKeyException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * {@code body} read as JSON (a {@link JsonObject}, a {@link io.vertx.core.json.JsonArray}, or a
   * scalar; null for no body) if no object in it, at any depth, names a key twice: Vert.x's reader
   * would keep the last one, where a proxy or a gateway in front may have read the first, so an
   * ambiguous body is refused, never guessed at.
   *
   * @throws DuplicateKeyException for a key named twice
   * @throws DecodeException for a body that is not JSON
   */
  public static Object strict(Buffer body) {
    if (body == null) {
      return null;
    }
    // Vert.x's own reader (its limits, its types), with the one check it leaves off.
    JsonParser parser = JacksonCodec.createParser(body);
    parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    try {
      return JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException strictly) {
      // Read again without the check (for a refused body only): if that reads, a key was there twice.
      Json.decodeValue(body);
      String which = strictly.getCause() instanceof JsonProcessingException jackson ? " (" + jackson.getOriginalMessage() + ")" : "";
      throw new DuplicateKeyException("The body names a key twice in one object" + which + ": send each key once.", strictly);
    }
  }

  /** Reads the body into memory, up to {@code limitBytes} (413 beyond); never a file upload. */
  static BodyHandler reader(long limitBytes) {
    return BodyHandler.create(false).setBodyLimit(limitBytes);
  }
}
