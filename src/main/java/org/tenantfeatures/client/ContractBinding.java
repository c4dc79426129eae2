package org.tenantfeatures.client;

import static org.tenantfeatures.client.RequestFields.description;
import static org.tenantfeatures.client.RequestFields.enabled;
import static org.tenantfeatures.client.RequestFields.entryId;
import static org.tenantfeatures.client.RequestFields.flag;
import static org.tenantfeatures.client.RequestFields.limit;
import static org.tenantfeatures.client.RequestFields.object;
import static org.tenantfeatures.client.RequestFields.optionalFlag;
import static org.tenantfeatures.client.RequestFields.optionalObject;
import static org.tenantfeatures.client.RequestFields.optionalString;
import static org.tenantfeatures.client.RequestFields.optionalTenantId;
import static org.tenantfeatures.client.RequestFields.reason;
import static org.tenantfeatures.client.RequestFields.scope;
import static org.tenantfeatures.client.RequestFields.string;
import static org.tenantfeatures.client.RequestFields.tenantId;
import static org.tenantfeatures.client.RequestFields.tenantRecords;
import static org.tenantfeatures.client.RequestFields.text;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.tenantfeatures.client.FeatureBus.Actions;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.RequestFields.BadMessage;

/**
 * The receiving side of the contract: takes a message, checks it, calls the one method of the
 * interfaces its action names, and replies with the result or fails with a {@link FailureCode}.
 * Every request is checked here and nowhere else, so an implementation gets only well-formed
 * arguments: a canonical tenant id, a page of 1 to 500, a known flag change.
 */
public record ContractBinding(TenantMaps tenantMaps, Catalogue catalogue, Directory directory, Diagnostics diagnostics,
    FailureReport failures, long defaultBudgetMs) {

  /**
   * What the implementing side says of a failed call: its code (and it logs the failure as it sees
   * fit); {@code tenantId} is the request's, or null for an action of no tenant.
   */
  public interface FailureReport {
    FailureCode classify(String action, Call call, String tenantId, Throwable failure);
  }

  /** Binds on {@code vertx}, whose event bus then knows the codec of replies to this JVM ({@link LocalReplyCodec}). */
  public static ContractBinding on(Vertx vertx, TenantMaps tenantMaps, Catalogue catalogue, Directory directory,
      Diagnostics diagnostics, FailureReport failures, long defaultBudgetMs) {
    LocalReplyCodec.registerOn(vertx);
    return new ContractBinding(tenantMaps, catalogue, directory, diagnostics, failures, defaultBudgetMs);
  }

  /** Answers {@code message}; the future completes once it is answered, whichever way. */
  public Future<Void> handle(Message<JsonObject> message) {
    String action = message.headers().get(FeatureBus.ACTION);
    Call call = new Call(message.headers().get(FeatureBus.REQUEST_ID), Deadline.in(budget(message)));
    long start = System.nanoTime();
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    Future<JsonObject> result;
    try {
      result = dispatch(action, body, call);
    } catch (BadMessage bad) {
      message.fail(bad.code.code(), bad.getMessage());
      return Future.succeededFuture();
    } catch (RuntimeException thrown) {
      // An implementation that throws instead of failing its future: its caller still gets an
      // answer (not a wait for the deadline), and the side that binds still counts it answered.
      result = Future.failedFuture(thrown);
    }
    return result.transform(done -> {
      if (done.succeeded()) {
        DeliveryOptions options = new DeliveryOptions().addHeader(FeatureBus.DB_MS, Double.toString((System.nanoTime() - start) / 1e6));
        // A request to the local-only address came from this JVM: its reply is handed over, not copied.
        if (FeatureBus.DB_LOCAL_ADDRESS.equals(message.address())) {
          options.setCodecName(LocalReplyCodec.NAME);
        }
        message.reply(done.result(), options);
      } else {
        FailureCode code = failures.classify(action, call, body.getValue(Fields.TENANT_ID) instanceof String id ? id : null, done.cause());
        message.fail(code.code(), code + ": " + done.cause().getMessage());
      }
      return Future.succeededFuture();
    });
  }

  private Future<JsonObject> dispatch(String action, JsonObject body, Call call) {
    if (action == null) {
      throw new BadMessage(FailureCode.BAD_ACTION, "missing '" + FeatureBus.ACTION + "' header");
    }
    return switch (action) {
      case Actions.TENANT_MAP -> tenantMaps.tenantMap(tenantId(body), call).map(TenantMap::toJson);
      case Actions.ROLES -> tenantMaps.roles(tenantId(body), call).map(roles -> new JsonObject().put(Fields.ROLES, roles));
      case Actions.SET_OVERRIDE -> tenantMaps.setOverride(tenantId(body), text(body, Fields.FLAG), enabled(body),
          text(body, Fields.ACTOR), call);
      case Actions.EXPLAIN -> tenantMaps.explain(tenantId(body), text(body, Fields.FLAG), call);
      case Actions.CATALOGUE -> catalogue.catalogue(call);
      case Actions.LIST_FLAGS -> catalogue.listFlags(call);
      case Actions.GET_FLAG -> catalogue.getFlag(string(body, Fields.NAME), call);
      case Actions.WRITE_FLAG -> catalogue.writeFlag(FlagChange.of(body.getValue(Fields.CHANGE))
              .orElseThrow(() -> new BadMessage("'" + Fields.CHANGE + "' is create, describe or delete")),
          string(body, Fields.NAME), description(body), string(body, Fields.ACTOR), call);
      case Actions.SET_TARGETING -> catalogue.setTargeting(string(body, Fields.NAME), object(body, Fields.TARGETING),
          text(body, Fields.ACTOR), call);
      case Actions.POPULATION -> catalogue.population(string(body, Fields.NAME), optionalFlag(body, Fields.VALUE), reason(body),
          optionalTenantId(body, Fields.AFTER), limit(body), call);
      case Actions.PREVIEW_TARGETING -> catalogue.previewTargeting(string(body, Fields.NAME), object(body, Fields.TARGETING),
          limit(body), call);
      case Actions.LIST_SEGMENTS -> catalogue.listSegments(call);
      case Actions.GET_SEGMENT -> catalogue.getSegment(string(body, Fields.NAME), call);
      case Actions.PUT_SEGMENT -> catalogue.putSegment(string(body, Fields.NAME), object(body, Fields.DEFINITION),
          text(body, Fields.ACTOR), call);
      case Actions.DELETE_SEGMENT -> catalogue.deleteSegment(string(body, Fields.NAME), text(body, Fields.ACTOR), call);
      case Actions.GET_TENANT -> directory.getTenant(tenantId(body), call);
      case Actions.PUT_TENANT -> directory.putTenant(tenantId(body), string(body, Fields.NAME), object(body, Fields.ATTRIBUTES),
          text(body, Fields.ACTOR), call);
      case Actions.TENANT_PAGE -> directory.tenantPage(optionalTenantId(body, Fields.AFTER), limit(body), scope(body),
          optionalString(body, Fields.PREFIX), optionalObject(body, Fields.ATTRIBUTE), call);
      case Actions.PUT_TENANTS -> directory.putTenants(tenantRecords(body), text(body, Fields.ACTOR), call);
      case Actions.AUDIT_PAGE -> directory.auditPage(tenantId(body), limit(body), entryId(body), optionalString(body, Fields.FLAG),
          call);
      case Actions.CATALOGUE_AUDIT_PAGE -> directory.catalogueAuditPage(limit(body), entryId(body), optionalString(body, Fields.FLAG),
          optionalString(body, Fields.SEGMENT), call);
      case Actions.PING -> diagnostics.ping(call);
      case Actions.DB_DIAGNOSTICS -> diagnostics.dbDiagnostics(call);
      case Actions.SET_SQL_TRACE -> diagnostics.setSqlTrace(flag(body, Fields.ENABLED), call);
      default -> throw new BadMessage(FailureCode.BAD_ACTION, "unknown action '" + action + "'");
    };
  }

  /** The sender's budget, never more than this side's own request timeout. */
  private long budget(Message<JsonObject> message) {
    String header = message.headers().get(FeatureBus.BUDGET_MS);
    try {
      return header == null ? defaultBudgetMs : Math.min(Long.parseLong(header), defaultBudgetMs);
    } catch (NumberFormatException e) {
      return defaultBudgetMs;
    }
  }
}
