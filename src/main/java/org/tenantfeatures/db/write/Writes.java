package org.tenantfeatures.db.write;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.ChangeEvent;
import org.tenantfeatures.client.ChangeEvent.Source;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.FlagChange;

/**
 * The writes the database side takes: an override of one tenant, a change of the catalogue.
 * Each runs as one transaction (with its audit rows) behind the
 * breaker, is never retried (a failed write is not known not to have happened), and is cut at the
 * deadline, though it may still commit after that: the change is announced after the commit, not
 * with the reply.
 */
public record Writes(Vertx vertx, CircuitBreaker breaker, Pool pool) {

  /** The override and its audit row; a write that changes something is announced for its tenant. */
  public Future<JsonObject> setOverride(String tenantId, String flag, Boolean enabled, String actor, Call call) {
    return breaker.<JsonObject>execute(() -> new OverrideWrites(pool).set(tenantId, flag, enabled, actor, call.requestId())
        .onSuccess(outcome -> {
          if (outcome.changed()) {
            JsonObject answer = outcome.answer();
            ChangeEvent.ofTenant(tenantId, flag, answer.getLong(Fields.REVISION), Source.SERVICE).publish(vertx);
          }
        })
        .map(OverrideWrites.Outcome::answer)
        .timeout(Math.max(1, call.deadline().remainingMs()), TimeUnit.MILLISECONDS));
  }

  /** A catalogue change and its audit rows; a flag added or removed changes every tenant's map. */
  public Future<JsonObject> writeFlag(FlagChange change, String name, String description, String actor, Call call) {
    Future<JsonObject> done = breaker.execute(() -> new FlagWrites(pool).write(change, name, description, actor, call.requestId()));
    return done.onSuccess(v -> {
      if (change.changesMaps()) {
        ChangeEvent.ofAllTenants(name, Source.SERVICE).publish(vertx);
      }
    }).timeout(Math.max(1, call.deadline().remainingMs()), TimeUnit.MILLISECONDS);
  }
}
