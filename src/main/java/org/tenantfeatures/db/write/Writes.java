package org.tenantfeatures.db.write;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.ChangeEvent;
import org.tenantfeatures.client.ChangeEvent.Source;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.FlagChange;
import org.tenantfeatures.evaluation.Segment;
import org.tenantfeatures.evaluation.Targeting;

/**
 * The writes the database side takes: an override or a record of one tenant, a change of the
 * catalogue (a flag, its targeting, a segment).
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

  /** The flag's targeting and its audit row: every tenant's map may change. */
  public Future<JsonObject> setTargeting(String flag, Targeting targeting, String actor, Call call) {
    return catalogueChange(call, () -> new TargetingWrites(pool).set(flag, targeting, actor, call.requestId()), flag);
  }

  /** The segment created or replaced, and its audit row: every tenant's map may change. */
  public Future<JsonObject> putSegment(Segment segment, String actor, Call call) {
    return catalogueChange(call, () -> new SegmentWrites(pool).put(segment, actor, call.requestId()), null);
  }

  /** The segment deleted (refused while in use), and its audit row. */
  public Future<JsonObject> deleteSegment(String name, String actor, Call call) {
    return catalogueChange(call, () -> new SegmentWrites(pool).delete(name, actor, call.requestId()), null);
  }

  /** The tenant's record and its audit row; a change of its attributes is announced for the tenant, like an override. */
  public Future<JsonObject> putTenant(String tenantId, String name, JsonObject attributes, String actor, Call call) {
    return breaker.<JsonObject>execute(() -> new TenantWrites(pool).put(tenantId, name, attributes, actor, call.requestId())
        .onSuccess(outcome -> {
          if (outcome.attributesChanged()) {
            ChangeEvent.ofTenant(tenantId, null, outcome.record().getLong(Fields.REVISION), Source.SERVICE).publish(vertx);
          }
        })
        .map(TenantWrites.Outcome::record)
        .timeout(Math.max(1, call.deadline().remainingMs()), TimeUnit.MILLISECONDS));
  }

  /** A batch of tenants' records, all or none; each tenant whose attributes moved is announced. */
  public Future<JsonObject> putTenants(JsonArray records, String actor, Call call) {
    return breaker.<JsonObject>execute(() -> new TenantWrites(pool).putAll(records, actor, call.requestId())
        .onSuccess(outcome -> outcome.attributesChanged()
            .forEach(tenantId -> ChangeEvent.ofTenant(tenantId, null, null, Source.SERVICE).publish(vertx)))
        .map(outcome -> new JsonObject().put("received", outcome.received()).put("changed", outcome.changed()))
        .timeout(Math.max(1, call.deadline().remainingMs()), TimeUnit.MILLISECONDS));
  }

  /** A change of the catalogue, announced to every node for every tenant once it committed. */
  private Future<JsonObject> catalogueChange(Call call, Supplier<Future<JsonObject>> change, String flag) {
    return breaker.execute(change).onSuccess(v -> ChangeEvent.ofCatalogue(flag, Source.SERVICE).publish(vertx))
        .timeout(Math.max(1, call.deadline().remainingMs()), TimeUnit.MILLISECONDS);
  }

  /** A catalogue change and its audit rows; a flag added or removed changes every tenant's map. */
  public Future<JsonObject> writeFlag(FlagChange change, String name, String description, String actor, Call call) {
    Future<JsonObject> done = breaker.execute(() -> new FlagWrites(pool).write(change, name, description, actor, call.requestId()));
    return done.onSuccess(v -> {
      if (change.changesMaps()) {
        ChangeEvent.ofCatalogue(name, Source.SERVICE).publish(vertx);
      }
    }).timeout(Math.max(1, call.deadline().remainingMs()), TimeUnit.MILLISECONDS);
  }
}
