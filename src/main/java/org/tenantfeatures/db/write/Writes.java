package org.tenantfeatures.db.write;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.tenantfeatures.client.ChangeEvent.Source;
import org.tenantfeatures.client.ChangeEvent;
import org.tenantfeatures.client.Deadline;
import org.tenantfeatures.client.FeatureBus.Fields;

/**
 * The writes the database verticle takes: an override of one tenant, a change of the catalogue.
 * Each is checked as a bus message, runs as one transaction (with its audit rows) behind the
 * breaker, is never retried (a failed write is not known not to have happened), and is cut at the
 * deadline, though it may still commit after that: the change is announced after the commit, not
 * with the reply.
 */
public final class Writes {

  /** {@code {flag, enabled: true|false|null, actor}}: null removes the override. */
  public record OverrideRequest(String flag, Boolean enabled, String actor) {
    public static final String EXPECTED = "need 'flag', 'actor' and 'enabled' (true, false or null)";

    public static Optional<OverrideRequest> from(JsonObject body) {
      if (body == null || !(body.getValue(Fields.FLAG) instanceof String flag) || flag.isBlank()
          || !(body.getValue(Fields.ACTOR) instanceof String actor) || actor.isBlank() || !body.containsKey(Fields.ENABLED)) {
        return Optional.empty();
      }
      Object enabled = body.getValue(Fields.ENABLED);
      return enabled == null || enabled instanceof Boolean
          ? Optional.of(new OverrideRequest(flag, (Boolean) enabled, actor)) : Optional.empty();
    }
  }

  /** {@code {op: create|describe|delete, name, description, actor}}. */
  public record FlagRequest(String op, String name, String description, String actor) {
    public static final String EXPECTED = "need 'op' (create, describe, delete), 'name', 'actor', 'description'";
    private static final List<String> OPS = List.of("create", "describe", "delete");

    public static Optional<FlagRequest> from(JsonObject body) {
      JsonObject b = body == null ? new JsonObject() : body;
      if (!(b.getValue(Fields.OP) instanceof String op) || !OPS.contains(op) || !(b.getValue(Fields.NAME) instanceof String name)
          || !(b.getValue(Fields.DESCRIPTION, "") instanceof String description) || !(b.getValue(Fields.ACTOR) instanceof String actor)) {
        return Optional.empty();
      }
      return Optional.of(new FlagRequest(op, name, description, actor));
    }
  }

  private final Vertx vertx;
  private final CircuitBreaker breaker;
  private final OverrideWrites overrides;
  private final FlagWrites flags;

  public Writes(Vertx vertx, CircuitBreaker breaker, Pool pool) {
    this.vertx = vertx;
    this.breaker = breaker;
    this.overrides = new OverrideWrites(pool);
    this.flags = new FlagWrites(pool);
  }

  public FlagWrites flags() {
    return flags;
  }

  /** The override and its audit row; a write that changes something is announced for its tenant. */
  public Future<JsonObject> override(String tenantId, OverrideRequest request, String requestId, Deadline deadline) {
    return breaker.<JsonObject>execute(() -> overrides.set(tenantId, request.flag(), request.enabled(), request.actor(), requestId)
        .onSuccess(outcome -> {
          if (outcome.changed()) {
            JsonObject answer = outcome.answer();
            ChangeEvent.ofTenant(tenantId, request.flag(), answer.getLong(Fields.REVISION), Source.SERVICE).publish(vertx);
          }
        })
        .map(OverrideWrites.Outcome::answer)
        .timeout(Math.max(1, deadline.remainingMs()), TimeUnit.MILLISECONDS));
  }

  /** A catalogue change and its audit rows; a flag added or removed changes every tenant's map. */
  public Future<JsonObject> flag(FlagRequest request, String requestId, Deadline deadline) {
    Future<JsonObject> done = breaker.execute(() -> switch (request.op()) {
      case "create" -> flags.create(request.name(), request.description(), request.actor(), requestId);
      case "describe" -> flags.describe(request.name(), request.description(), request.actor(), requestId);
      default -> flags.delete(request.name(), request.actor(), requestId);
    });
    return done.onSuccess(v -> {
      if (!request.op().equals("describe")) {
        ChangeEvent.ofAllTenants(request.name(), Source.SERVICE).publish(vertx);
      }
    }).timeout(Math.max(1, deadline.remainingMs()), TimeUnit.MILLISECONDS);
  }
}
