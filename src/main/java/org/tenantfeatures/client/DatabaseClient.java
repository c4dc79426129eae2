package org.tenantfeatures.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import org.tenantfeatures.client.FeatureBus.Fields;

/**
 * The sending side of the contract: asks the database verticle for a tenant's data within a
 * deadline. The send timeout is the time left; the budget the receiver gets is a little less, so
 * that its own "too late" answer arrives before the send times out.
 */
public final class DatabaseClient {

  /** Time kept back for the reply to travel and be handled. */
  static final long REPLY_MARGIN_MS = 50;

  private final Vertx vertx;
  private final String address;

  /** Asks the database verticles of the cluster ({@link FeatureBus#DB_ADDRESS}): what another team's verticle uses. */
  public DatabaseClient(Vertx vertx) {
    this(vertx, FeatureBus.DB_ADDRESS);
  }

  private DatabaseClient(Vertx vertx, String address) {
    this.vertx = vertx;
    this.address = address;
  }

  /**
   * Asks this Vert.x's own database verticle only ({@link FeatureBus#DB_LOCAL_ADDRESS}): for a
   * node of the service that runs one. None of its requests then depends on another node, so a
   * node that stops or dies fails no request of the others (asked across the cluster, a request
   * routed to a node as it left waited out its deadline: the 504s of a rolling restart).
   */
  public static DatabaseClient local(Vertx vertx) {
    return new DatabaseClient(vertx, FeatureBus.DB_LOCAL_ADDRESS);
  }

  /**
   * The tenant's complete map and its revision, typed: what another team's verticle asks for.
   * Fails with a {@link io.vertx.core.eventbus.ReplyException} whose {@code failureCode()} is one of
   * {@link FailureCode} (or a timeout); never answers a partial map.
   */
  public Future<TenantMap> featureMap(String tenantId, Deadline deadline, String requestId) {
    return tenantFeatures(tenantId, deadline, requestId).map(TenantMap::fromReply);
  }

  /** The same as a reply body {@code {tenantId, features, revision, dbMs}}, for the HTTP side's Server-Timing. */
  public Future<JsonObject> tenantFeatures(String tenantId, Deadline deadline, String requestId) {
    return read(FeatureBus.Actions.GET_TENANT_FEATURES, new JsonObject().put(Fields.TENANT_ID, tenantId), deadline, requestId);
  }

  public Future<JsonObject> tenantRoles(String tenantId, Deadline deadline, String requestId) {
    return read(FeatureBus.Actions.GET_TENANT_ROLES, new JsonObject().put(Fields.TENANT_ID, tenantId), deadline, requestId);
  }

  /** Sets ({@code enabled} true or false) or removes ({@code null}) a tenant's override. */
  public Future<JsonObject> setOverride(String tenantId, String flag, Boolean enabled, String actor, Deadline deadline,
                                        String requestId) {
    return ask(FeatureBus.Actions.SET_OVERRIDE, new JsonObject().put(Fields.TENANT_ID, tenantId).put(Fields.FLAG, flag)
        .put(Fields.ENABLED, enabled).put(Fields.ACTOR, actor), deadline, requestId);
  }

  /** A page of a tenant's audit log, newest first; {@code flag} null for every flag's entries. */
  public Future<JsonObject> auditPage(String tenantId, int limit, Long before, String flag, Deadline deadline,
                                      String requestId) {
    return read(FeatureBus.Actions.GET_AUDIT, new JsonObject().put(Fields.TENANT_ID, tenantId).put(Fields.LIMIT, limit)
        .put(Fields.BEFORE, before).put(Fields.FLAG, flag), deadline, requestId);
  }

  /** A page of the tenants whose overrides were ever changed, by id; {@code tenants} null for all of them. */
  public Future<JsonObject> listTenants(String after, int limit, Collection<String> tenants, Deadline deadline,
                                        String requestId) {
    return read(FeatureBus.Actions.LIST_TENANTS, new JsonObject().put(Fields.AFTER, after).put(Fields.LIMIT, limit)
        .put(Fields.TENANTS, tenants == null ? null : new JsonArray(new ArrayList<>(tenants))),
        deadline, requestId);
  }

  /** {@code {name, description, overrides}}: a flag of the catalogue and how many tenants override it. */
  public Future<JsonObject> flag(String name, Deadline deadline, String requestId) {
    return read(FeatureBus.Actions.GET_FLAG, new JsonObject().put(Fields.NAME, name), deadline, requestId);
  }

  /** {@code {flags: [{name, description}, ...]}} by name. */
  public Future<JsonObject> listFlags(Deadline deadline, String requestId) {
    return read(FeatureBus.Actions.LIST_FLAGS, new JsonObject(), deadline, requestId);
  }

  /** A change of the catalogue; the reply is the flag ({@code {name, description}} or {@code {name}}). */
  public Future<JsonObject> writeFlag(FlagChange change, String name, String description, String actor, Deadline deadline,
                                      String requestId) {
    return ask(FeatureBus.Actions.WRITE_FLAG, new JsonObject().put(Fields.OP, change.op).put(Fields.NAME, name)
        .put(Fields.DESCRIPTION, description).put(Fields.ACTOR, actor), deadline, requestId);
  }

  /** The catalogue changes of {@link #writeFlag}. */
  public enum FlagChange {
    CREATE("create"), DESCRIBE("describe"), DELETE("delete");

    final String op;

    FlagChange(String op) {
      this.op = op;
    }
  }

  /**
   * {@code {breaker}} once a database verticle answered a trivial query; {@code local}: this
   * node's own verticle ({@link FeatureBus#DB_LOCAL_ADDRESS}), for a node's readiness.
   */
  public Future<JsonObject> ping(boolean local, Deadline deadline, String requestId) {
    return ask(local ? FeatureBus.DB_LOCAL_ADDRESS : FeatureBus.DB_ADDRESS, FeatureBus.Actions.PING, new JsonObject(), deadline,
        requestId);
  }

  /** Pool limits and live state, the database's view of the node's connections, the breaker. */
  public Future<JsonObject> databaseDiagnostics(Deadline deadline, String requestId) {
    return ask(FeatureBus.Actions.GET_DB_DIAGNOSTICS, new JsonObject(), deadline, requestId);
  }

  /** Switches the SQL trace of the database verticle that receives it; the reply is {@code {enabled}}. */
  public Future<JsonObject> setSqlTrace(boolean enabled, Deadline deadline, String requestId) {
    return ask(FeatureBus.Actions.SET_SQL_TRACE, new JsonObject().put(Fields.ENABLED, enabled), deadline, requestId);
  }

  private Future<JsonObject> ask(String action, JsonObject body, Deadline deadline, String requestId) {
    return ask(address, action, body, deadline, requestId);
  }

  /**
   * A read, asked once more within its deadline if the verticle that got it was gone or going
   * (no handler left, or its pool closing with its node): across the cluster the second ask goes
   * to another node. Only reads: a write is never repeated blindly.
   */
  private Future<JsonObject> read(String action, JsonObject body, Deadline deadline, String requestId) {
    return ask(action, body, deadline, requestId).recover(failure -> address.equals(FeatureBus.DB_ADDRESS)
        && nodeGone(failure) && deadline.remainingMs() > REPLY_MARGIN_MS
        ? ask(action, body, deadline, requestId) : Future.failedFuture(failure));
  }

  private static boolean nodeGone(Throwable failure) {
    return failure instanceof ReplyException reply && (reply.failureType() == ReplyFailure.NO_HANDLERS
        || reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() == FailureCode.DATABASE_UNAVAILABLE.code());
  }

  private Future<JsonObject> ask(String address, String action, JsonObject body, Deadline deadline, String requestId) {
    long left = deadline.remainingMs();
    if (left <= 0) {
      return Future.failedFuture(new ReplyException(ReplyFailure.TIMEOUT, "request deadline passed before sending"));
    }
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(left)
        .addHeader(FeatureBus.ACTION, action)
        .addHeader(FeatureBus.BUDGET_MS, Long.toString(Math.max(1, left - REPLY_MARGIN_MS)))
        .addHeader(FeatureBus.REQUEST_ID, requestId)
        // The node's own verticle needs no cluster lookup, which waits while Hazelcast repartitions.
        .setLocalOnly(address.equals(FeatureBus.DB_LOCAL_ADDRESS));
    return vertx.eventBus()
        .<JsonObject>request(address, body, options)
        .map(Message::body);
  }
}
