package org.tenantfeatures.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.tenantfeatures.bus.FeatureBus.Fields;

/**
 * The sending side of the contract: asks the database verticle for a tenant's data within a
 * deadline. The send timeout is the time left; the budget the receiver gets is a little less, so
 * that its own "too late" answer arrives before the send times out.
 */
public final class DatabaseClient {

  /** Time kept back for the reply to travel and be handled. */
  static final long REPLY_MARGIN_MS = 50;

  private final Vertx vertx;

  public DatabaseClient(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<JsonObject> tenantFeatures(String tenantId, Deadline deadline, String requestId) {
    return ask(FeatureBus.Actions.GET_TENANT_FEATURES, new JsonObject().put(Fields.TENANT_ID, tenantId), deadline, requestId);
  }

  public Future<JsonObject> tenantRoles(String tenantId, Deadline deadline, String requestId) {
    return ask(FeatureBus.Actions.GET_TENANT_ROLES, new JsonObject().put(Fields.TENANT_ID, tenantId), deadline, requestId);
  }

  /** Sets ({@code enabled} true or false) or removes ({@code null}) a tenant's override. */
  public Future<JsonObject> setOverride(String tenantId, String flag, Boolean enabled, String actor, Deadline deadline,
                                        String requestId) {
    return ask(FeatureBus.Actions.SET_OVERRIDE, new JsonObject().put(Fields.TENANT_ID, tenantId).put(Fields.FLAG, flag)
        .put(Fields.ENABLED, enabled).put(Fields.ACTOR, actor), deadline, requestId);
  }

  public Future<JsonObject> auditPage(String tenantId, int limit, Long before, Deadline deadline, String requestId) {
    return ask(FeatureBus.Actions.GET_AUDIT, new JsonObject().put(Fields.TENANT_ID, tenantId).put(Fields.LIMIT, limit)
        .put(Fields.BEFORE, before), deadline, requestId);
  }

  /** Any action of the contract, answered within the deadline or failed. */
  public Future<JsonObject> ask(String action, JsonObject body, Deadline deadline, String requestId) {
    return ask(FeatureBus.DB_ADDRESS, action, body, deadline, requestId);
  }

  /** The same, at a given address ({@link FeatureBus#DB_LOCAL_ADDRESS} for this node's own verticle). */
  public Future<JsonObject> ask(String address, String action, JsonObject body, Deadline deadline, String requestId) {
    long left = deadline.remainingMs();
    if (left <= 0) {
      return Future.failedFuture(new ReplyException(ReplyFailure.TIMEOUT, "request deadline passed before sending"));
    }
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(left)
        .addHeader(FeatureBus.ACTION, action)
        .addHeader(FeatureBus.BUDGET_MS, Long.toString(Math.max(1, left - REPLY_MARGIN_MS)))
        .addHeader(FeatureBus.REQUEST_ID, requestId);
    return vertx.eventBus()
        .<JsonObject>request(address, body, options)
        .map(Message::body);
  }
}
