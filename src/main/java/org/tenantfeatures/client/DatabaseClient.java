package org.tenantfeatures.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import org.tenantfeatures.client.FeatureBus.Actions;
import org.tenantfeatures.client.FeatureBus.Fields;

/**
 * The sending side of the contract: implements its interfaces by asking the database verticle
 * over the bus, each call within its deadline. The send timeout is the time left; the budget the receiver gets is a little less, so
 * that its own "too late" answer arrives before the send times out.
 */
public final class DatabaseClient implements TenantMaps, Catalogue, Directory, Diagnostics {

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

  @Override
  public Future<TenantMap> tenantMap(String tenantId, Call call) {
    return read(Actions.TENANT_MAP, new JsonObject().put(Fields.TENANT_ID, tenantId), call).map(TenantMap::fromJson);
  }

  @Override
  public Future<JsonArray> roles(String tenantId, Call call) {
    return read(Actions.ROLES, new JsonObject().put(Fields.TENANT_ID, tenantId), call).map(reply -> reply.getJsonArray(Fields.ROLES));
  }

  @Override
  public Future<JsonObject> setOverride(String tenantId, String flag, Boolean enabled, String actor, Call call) {
    return ask(Actions.SET_OVERRIDE, new JsonObject().put(Fields.TENANT_ID, tenantId).put(Fields.FLAG, flag)
        .put(Fields.ENABLED, enabled).put(Fields.ACTOR, actor), call);
  }

  @Override
  public Future<JsonObject> explain(String tenantId, String flag, Call call) {
    return read(Actions.EXPLAIN, new JsonObject().put(Fields.TENANT_ID, tenantId).put(Fields.FLAG, flag), call);
  }

  @Override
  public Future<JsonObject> catalogue(Call call) {
    return read(Actions.CATALOGUE, new JsonObject(), call);
  }

  @Override
  public Future<JsonObject> listFlags(Call call) {
    return read(Actions.LIST_FLAGS, new JsonObject(), call);
  }

  @Override
  public Future<JsonObject> getFlag(String name, Call call) {
    return read(Actions.GET_FLAG, new JsonObject().put(Fields.NAME, name), call);
  }

  @Override
  public Future<JsonObject> writeFlag(FlagChange change, String name, String description, String actor, Call call) {
    return ask(Actions.WRITE_FLAG, new JsonObject().put(Fields.CHANGE, change.wire()).put(Fields.NAME, name)
        .put(Fields.DESCRIPTION, description).put(Fields.ACTOR, actor), call);
  }

  @Override
  public Future<JsonObject> setTargeting(String flag, JsonObject targeting, String actor, Call call) {
    return ask(Actions.SET_TARGETING, new JsonObject().put(Fields.NAME, flag).put(Fields.TARGETING, targeting)
        .put(Fields.ACTOR, actor), call);
  }

  @Override
  public Future<JsonObject> population(String flag, Boolean value, String reason, String after, int limit, Call call) {
    return read(Actions.POPULATION, new JsonObject().put(Fields.NAME, flag).put(Fields.VALUE, value).put(Fields.REASON, reason)
        .put(Fields.AFTER, after).put(Fields.LIMIT, limit), call);
  }

  @Override
  public Future<JsonObject> previewTargeting(String flag, JsonObject targeting, int limit, Call call) {
    return read(Actions.PREVIEW_TARGETING, new JsonObject().put(Fields.NAME, flag).put(Fields.TARGETING, targeting)
        .put(Fields.LIMIT, limit), call);
  }

  @Override
  public Future<JsonObject> listSegments(Call call) {
    return read(Actions.LIST_SEGMENTS, new JsonObject(), call);
  }

  @Override
  public Future<JsonObject> getSegment(String name, Call call) {
    return read(Actions.GET_SEGMENT, new JsonObject().put(Fields.NAME, name), call);
  }

  @Override
  public Future<JsonObject> putSegment(String name, JsonObject definition, String actor, Call call) {
    return ask(Actions.PUT_SEGMENT, new JsonObject().put(Fields.NAME, name).put(Fields.DEFINITION, definition)
        .put(Fields.ACTOR, actor), call);
  }

  @Override
  public Future<JsonObject> deleteSegment(String name, String actor, Call call) {
    return ask(Actions.DELETE_SEGMENT, new JsonObject().put(Fields.NAME, name).put(Fields.ACTOR, actor), call);
  }

  @Override
  public Future<JsonObject> getTenant(String tenantId, Call call) {
    return read(Actions.GET_TENANT, new JsonObject().put(Fields.TENANT_ID, tenantId), call);
  }

  @Override
  public Future<JsonObject> putTenant(String tenantId, String name, JsonObject attributes, String actor, Call call) {
    return ask(Actions.PUT_TENANT, new JsonObject().put(Fields.TENANT_ID, tenantId).put(Fields.NAME, name)
        .put(Fields.ATTRIBUTES, attributes).put(Fields.ACTOR, actor), call);
  }

  @Override
  public Future<JsonObject> tenantPage(String after, int limit, Collection<String> tenants, String namePrefix, JsonObject attribute,
      Call call) {
    return read(Actions.TENANT_PAGE, new JsonObject().put(Fields.AFTER, after).put(Fields.LIMIT, limit)
        .put(Fields.TENANTS, tenants == null ? null : new JsonArray(new ArrayList<>(tenants)))
        .put(Fields.PREFIX, namePrefix).put(Fields.ATTRIBUTE, attribute), call);
  }

  @Override
  public Future<JsonObject> putTenants(JsonArray tenants, String actor, Call call) {
    return ask(Actions.PUT_TENANTS, new JsonObject().put(Fields.TENANTS, tenants).put(Fields.ACTOR, actor), call);
  }

  @Override
  public Future<JsonObject> auditPage(String tenantId, int limit, Long before, String flag, Call call) {
    return read(Actions.AUDIT_PAGE, new JsonObject().put(Fields.TENANT_ID, tenantId).put(Fields.LIMIT, limit)
        .put(Fields.BEFORE, before).put(Fields.FLAG, flag), call);
  }

  @Override
  public Future<JsonObject> catalogueAuditPage(int limit, Long before, String flag, String segment, Call call) {
    return read(Actions.CATALOGUE_AUDIT_PAGE, new JsonObject().put(Fields.LIMIT, limit).put(Fields.BEFORE, before).put(Fields.FLAG, flag)
        .put(Fields.SEGMENT, segment), call);
  }

  @Override
  public Future<JsonObject> setSqlTrace(boolean enabled, Call call) {
    return ask(Actions.SET_SQL_TRACE, new JsonObject().put(Fields.ENABLED, enabled), call);
  }

  /** Asks this client's address: a node's own database verticle for a client made by {@link #local}. */
  @Override
  public Future<JsonObject> ping(Call call) {
    return ask(Actions.PING, new JsonObject(), call);
  }

  @Override
  public Future<JsonObject> dbDiagnostics(Call call) {
    return ask(Actions.DB_DIAGNOSTICS, new JsonObject(), call);
  }

  /**
   * A read, asked once more within its deadline if the verticle that got it was gone or going
   * (no handler left, or its pool closing with its node): across the cluster the second ask goes
   * to another node. Only reads: a write is never repeated blindly.
   */
  private Future<JsonObject> read(String action, JsonObject body, Call call) {
    return ask(action, body, call).recover(failure -> address.equals(FeatureBus.DB_ADDRESS)
        && nodeGone(failure) && call.deadline().remainingMs() > REPLY_MARGIN_MS
        ? ask(action, body, call) : Future.failedFuture(failure));
  }

  private static boolean nodeGone(Throwable failure) {
    return failure instanceof ReplyException reply && (reply.failureType() == ReplyFailure.NO_HANDLERS
        || reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() == FailureCode.DATABASE_UNAVAILABLE.code());
  }

  private Future<JsonObject> ask(String action, JsonObject body, Call call) {
    long left = call.deadline().remainingMs();
    if (left <= 0) {
      return Future.failedFuture(new ReplyException(ReplyFailure.TIMEOUT, "request deadline passed before sending"));
    }
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(left)
        .addHeader(FeatureBus.ACTION, action)
        .addHeader(FeatureBus.BUDGET_MS, Long.toString(Math.max(1, left - REPLY_MARGIN_MS)))
        .addHeader(FeatureBus.REQUEST_ID, call.requestId())
        // The node's own verticle needs no cluster lookup, which waits while Hazelcast repartitions.
        .setLocalOnly(address.equals(FeatureBus.DB_LOCAL_ADDRESS));
    return vertx.eventBus().<JsonObject>request(address, body, options).map(reply -> {
      String dbMs = reply.headers().get(FeatureBus.DB_MS);
      if (dbMs != null) {
        try {
          call.dbMs(Double.parseDouble(dbMs));
        } catch (NumberFormatException unreadable) {
          // Timing only: the answer stands without it.
        }
      }
      return reply.body();
    });
  }
}
