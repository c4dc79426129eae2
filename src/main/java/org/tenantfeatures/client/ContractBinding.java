package org.tenantfeatures.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.tenantfeatures.client.FeatureBus.Actions;
import org.tenantfeatures.client.FeatureBus.Fields;

/**
 * The receiving side of the contract: takes a message, checks it, calls the one method of the
 * interfaces its action names, and replies with the result or fails with a {@link FailureCode}.
 * Every request is checked here and nowhere else, so an implementation gets only well-formed
 * arguments: a canonical tenant id, a page of 1 to 500, a known flag change.
 */
public final class ContractBinding {

  /** What the implementing side says of a failed call: its code (and it logs the failure as it sees fit). */
  public interface FailureReport {
    FailureCode classify(String action, Call call, Throwable failure);
  }

  /** A message that breaks the contract: answered with {@link FailureCode#BAD_MESSAGE}, never passed on. */
  private static final class BadMessage extends RuntimeException {
    BadMessage(String message) {
      super(message, null, false, false);
    }
  }

  private final TenantMaps tenantMaps;
  private final Catalogue catalogue;
  private final Directory directory;
  private final Diagnostics diagnostics;
  private final FailureReport failures;
  private final long defaultBudgetMs;

  public ContractBinding(Vertx vertx, TenantMaps tenantMaps, Catalogue catalogue, Directory directory, Diagnostics diagnostics,
      FailureReport failures, long defaultBudgetMs) {
    LocalReplyCodec.registerOn(vertx);
    this.tenantMaps = tenantMaps;
    this.catalogue = catalogue;
    this.directory = directory;
    this.diagnostics = diagnostics;
    this.failures = failures;
    this.defaultBudgetMs = defaultBudgetMs;
  }

  /** Answers {@code message}; the future completes once it is answered, whichever way. */
  public Future<Void> handle(Message<JsonObject> message) {
    String action = message.headers().get(FeatureBus.ACTION);
    Call call = new Call(message.headers().get(FeatureBus.REQUEST_ID), Deadline.in(budget(message)));
    long start = System.nanoTime();
    Future<JsonObject> result;
    try {
      result = dispatch(action, message.body() == null ? new JsonObject() : message.body(), call);
    } catch (BadMessage bad) {
      message.fail((action == null || bad.getMessage().startsWith("unknown action") ? FailureCode.BAD_ACTION
          : FailureCode.BAD_MESSAGE).code(), bad.getMessage());
      return Future.succeededFuture();
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
        FailureCode code = failures.classify(action, call, done.cause());
        message.fail(code.code(), code + ": " + done.cause().getMessage());
      }
      return Future.succeededFuture();
    });
  }

  private Future<JsonObject> dispatch(String action, JsonObject body, Call call) {
    if (action == null) {
      throw new BadMessage("missing '" + FeatureBus.ACTION + "' header");
    }
    return switch (action) {
      case Actions.TENANT_MAP -> tenantMaps.tenantMap(tenantId(body), call).map(TenantMap::toJson);
      case Actions.ROLES -> tenantMaps.roles(tenantId(body), call).map(roles -> new JsonObject().put(Fields.ROLES, roles));
      case Actions.SET_OVERRIDE -> tenantMaps.setOverride(tenantId(body), text(body, Fields.FLAG), enabled(body),
          text(body, Fields.ACTOR), call);
      case Actions.LIST_FLAGS -> catalogue.listFlags(call);
      case Actions.GET_FLAG -> catalogue.getFlag(string(body, Fields.NAME), call);
      case Actions.WRITE_FLAG -> catalogue.writeFlag(FlagChange.of(body.getValue(Fields.CHANGE))
              .orElseThrow(() -> new BadMessage("'" + Fields.CHANGE + "' is create, describe or delete")),
          string(body, Fields.NAME), description(body), string(body, Fields.ACTOR), call);
      case Actions.TENANT_PAGE -> directory.tenantPage(optionalTenantId(body, Fields.AFTER), limit(body), scope(body), call);
      case Actions.AUDIT_PAGE -> directory.auditPage(tenantId(body), limit(body), entryId(body), optionalString(body, Fields.FLAG),
          call);
      case Actions.PING -> diagnostics.ping(call);
      case Actions.DB_DIAGNOSTICS -> diagnostics.dbDiagnostics(call);
      case Actions.SET_SQL_TRACE -> diagnostics.setSqlTrace(flag(body, Fields.ENABLED), call);
      default -> throw new BadMessage("unknown action '" + action + "'");
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

  private static String tenantId(JsonObject body) {
    Object id = body.getValue(Fields.TENANT_ID);
    if (!TenantIds.isCanonical(id)) {
      throw new BadMessage("'" + Fields.TENANT_ID + "' must be a canonical lower-case UUID");
    }
    return (String) id;
  }

  private static String optionalTenantId(JsonObject body, String field) {
    Object id = body.getValue(field);
    if (id != null && !TenantIds.isCanonical(id)) {
      throw new BadMessage("'" + field + "' must be a canonical lower-case UUID or null");
    }
    return (String) id;
  }

  /** A scoped token's tenants, or null for all. */
  private static List<String> scope(JsonObject body) {
    Object value = body.getValue(Fields.TENANTS);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray ids)) {
      throw new BadMessage("'" + Fields.TENANTS + "' holds tenant UUIDs");
    }
    List<String> scope = new ArrayList<>(ids.size());
    for (Object id : ids) {
      scope.add(TenantIds.canonical(String.valueOf(id)).orElseThrow(() -> new BadMessage("'" + Fields.TENANTS + "' holds tenant UUIDs")));
    }
    return scope;
  }

  /** A page's size as asked, within 1-500 (the HTTP side refuses others before they get here). */
  private static int limit(JsonObject body) {
    return body.getValue(Fields.LIMIT) instanceof Number n ? Math.max(1, Math.min(n.intValue(), 500)) : 50;
  }

  private static Long entryId(JsonObject body) {
    Object before = body.getValue(Fields.BEFORE);
    if (before != null && !(before instanceof Number)) {
      throw new BadMessage("'" + Fields.BEFORE + "' is an audit entry id or null");
    }
    return before == null ? null : ((Number) before).longValue();
  }

  /** A string that must not be blank: a flag's name in an override, an actor. */
  private static String text(JsonObject body, String field) {
    String value = string(body, field);
    if (value.isBlank()) {
      throw new BadMessage("'" + field + "' must not be blank");
    }
    return value;
  }

  private static String string(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String value)) {
      throw new BadMessage("'" + field + "' must be a string");
    }
    return value;
  }

  private static String optionalString(JsonObject body, String field) {
    return body.getValue(field) == null ? null : string(body, field);
  }

  private static String description(JsonObject body) {
    return body.getValue(Fields.DESCRIPTION) == null ? "" : string(body, Fields.DESCRIPTION);
  }

  /** An override's value: true, false, or null (removed); the field must be there. */
  private static Boolean enabled(JsonObject body) {
    Object enabled = body.getValue(Fields.ENABLED);
    if (!body.containsKey(Fields.ENABLED) || !(enabled == null || enabled instanceof Boolean)) {
      throw new BadMessage("'" + Fields.ENABLED + "' must be true, false or null");
    }
    return (Boolean) enabled;
  }

  private static boolean flag(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof Boolean value)) {
      throw new BadMessage("'" + field + "' must be true or false");
    }
    return value;
  }
}
