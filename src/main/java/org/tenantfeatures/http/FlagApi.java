package org.tenantfeatures.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.tenantfeatures.bus.DatabaseClient;
import org.tenantfeatures.bus.Deadline;
import org.tenantfeatures.bus.FeatureBus.Actions;
import org.tenantfeatures.bus.FeatureBus.Fields;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.config.AppConfig.TokenGrant;

/**
 * The flag catalogue, global to all tenants: {@code GET /api/v3/flags} (any token),
 * {@code POST} (create; a taken name is 409), {@code PATCH /api/v3/flags/{name}} (description),
 * {@code DELETE /api/v3/flags/{name}} (its tenant overrides go with it). Changing the catalogue
 * takes the {@code admin} permission.
 */
final class FlagApi {

  static final int MAX_DESCRIPTION = 1000;

  private final DatabaseClient database;
  private final TokenAuthenticator authenticator;
  private final int requestTimeoutMs;
  private final long circuitRetryAfterSeconds;

  FlagApi(DatabaseClient database, AppConfig config, long circuitRetryAfterSeconds) {
    this.database = database;
    this.authenticator = new TokenAuthenticator(config.tokens());
    this.requestTimeoutMs = config.http().requestTimeoutMs();
    this.circuitRetryAfterSeconds = circuitRetryAfterSeconds;
  }

  void list(RoutingContext ctx) {
    grant(ctx, "read").ifPresent(grant -> reply(ctx, 200, database.ask(Actions.LIST_FLAGS, new JsonObject(),
        Deadline.in(requestTimeoutMs), RequestIds.of(ctx))));
  }

  void create(RoutingContext ctx) {
    grant(ctx, "admin").ifPresent(grant -> body(ctx).ifPresent(body -> {
      Object name = body.getValue(Fields.NAME);
      if (!(name instanceof String flag) || !OverrideApi.FLAG_NAME.matcher(flag).matches()) {
        ProblemResponses.send(ctx, Problem.INVALID_FLAG_NAME,
            "A flag name is a lower-case letter, then up to 99 of a-z, 0-9, '_', '.', '-'.");
        return;
      }
      description(ctx, body).ifPresent(text -> write(ctx, 201, "create", flag, text, grant));
    }));
  }

  void describe(RoutingContext ctx) {
    grant(ctx, "admin").ifPresent(grant -> body(ctx).ifPresent(body ->
        description(ctx, body).ifPresent(text -> write(ctx, 200, "describe", ctx.pathParam("name"), text, grant))));
  }

  void delete(RoutingContext ctx) {
    grant(ctx, "admin").ifPresent(grant -> write(ctx, 200, "delete", ctx.pathParam("name"), "", grant));
  }

  private void write(RoutingContext ctx, int status, String op, String name, String description, TokenGrant grant) {
    reply(ctx, status, database.ask(Actions.WRITE_FLAG, new JsonObject().put(Fields.OP, op).put(Fields.NAME, name)
        .put(Fields.DESCRIPTION, description).put(Fields.ACTOR, grant.name()), Deadline.in(requestTimeoutMs), RequestIds.of(ctx)));
  }

  private void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(body -> ctx.response().setStatusCode(status).putHeader("Content-Type", TenantApi.JSON)
            .putHeader("Cache-Control", "no-store").end(body.toBuffer()))
        .onFailure(failure -> BusFailures.send(ctx, failure, circuitRetryAfterSeconds));
  }

  /** Reading takes {@code read}; changing the catalogue {@code admin} (the problem names it). */
  private Optional<TokenGrant> grant(RoutingContext ctx, String permission) {
    return authenticator.authorize(ctx, permission, Problem.ADMIN_REQUIRED);
  }

  private static Optional<JsonObject> body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body != null) {
        return Optional.of(body);
      }
    } catch (RuntimeException notJson) {
      // answered below
    }
    ProblemResponses.send(ctx, Problem.BAD_BODY, "Send a JSON object.");
    return Optional.empty();
  }

  private static Optional<String> description(RoutingContext ctx, JsonObject body) {
    Object text = body.getValue(Fields.DESCRIPTION, "");
    if (!(text instanceof String s) || s.length() > MAX_DESCRIPTION) {
      ProblemResponses.send(ctx, Problem.BAD_BODY, "'description' is a string of at most " + MAX_DESCRIPTION + " characters.");
      return Optional.empty();
    }
    return Optional.of(s);
  }
}
