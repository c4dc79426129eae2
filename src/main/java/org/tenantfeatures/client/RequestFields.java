package org.tenantfeatures.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tenantfeatures.client.FeatureBus.Fields;

/**
 * The fields of a request on the bus, read and checked for {@link ContractBinding}: each either
 * answers a well-formed value or throws {@link BadMessage}, which the binding answers with
 * {@link FailureCode#BAD_MESSAGE} before any implementation is called.
 */
final class RequestFields {

  /** A message that breaks the contract: {@link FailureCode#BAD_MESSAGE}, or {@link FailureCode#BAD_ACTION} for its header. */
  static final class BadMessage extends RuntimeException {
    final FailureCode code;

    BadMessage(String message) {
      this(FailureCode.BAD_MESSAGE, message);
    }

    BadMessage(FailureCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  private RequestFields() {
  }

  static String tenantId(JsonObject body) {
    Object id = body.getValue(Fields.TENANT_ID);
    if (!TenantIds.isCanonical(id)) {
      throw new BadMessage("'" + Fields.TENANT_ID + "' must be a canonical lower-case UUID");
    }
    return (String) id;
  }

  static String optionalTenantId(JsonObject body, String field) {
    Object id = body.getValue(field);
    if (id != null && !TenantIds.isCanonical(id)) {
      throw new BadMessage("'" + field + "' must be a canonical lower-case UUID or null");
    }
    return (String) id;
  }

  /** A scoped token's tenants, or null for all. */
  static List<String> scope(JsonObject body) {
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

  /** A page's size: 1 to {@link Directory#MAX_PAGE}, {@link Directory#DEFAULT_PAGE} when absent. */
  static int limit(JsonObject body) {
    Object limit = body.getValue(Fields.LIMIT);
    if (limit == null) {
      return Directory.DEFAULT_PAGE;
    }
    if (!(limit instanceof Integer n) || n < 1 || n > Directory.MAX_PAGE) {
      throw new BadMessage("'" + Fields.LIMIT + "' is a whole number from 1 to " + Directory.MAX_PAGE);
    }
    return n;
  }

  static Long entryId(JsonObject body) {
    Object before = body.getValue(Fields.BEFORE);
    if (before != null && !(before instanceof Number)) {
      throw new BadMessage("'" + Fields.BEFORE + "' is an audit entry id or null");
    }
    return before == null ? null : ((Number) before).longValue();
  }

  /** A string that must not be blank: a flag's name in an override, an actor. */
  static String text(JsonObject body, String field) {
    String value = string(body, field);
    if (value.isBlank()) {
      throw new BadMessage("'" + field + "' must not be blank");
    }
    return value;
  }

  static String string(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String value)) {
      throw new BadMessage("'" + field + "' must be a string");
    }
    return value;
  }

  static String optionalString(JsonObject body, String field) {
    return body.getValue(field) == null ? null : string(body, field);
  }

  static String description(JsonObject body) {
    return body.getValue(Fields.DESCRIPTION) == null ? "" : string(body, Fields.DESCRIPTION);
  }

  /** An override's value: true, false, or null (removed); the field must be there. */
  static Boolean enabled(JsonObject body) {
    Object enabled = body.getValue(Fields.ENABLED);
    if (!body.containsKey(Fields.ENABLED) || !(enabled == null || enabled instanceof Boolean)) {
      throw new BadMessage("'" + Fields.ENABLED + "' must be true, false or null");
    }
    return (Boolean) enabled;
  }

  static JsonObject object(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof JsonObject value)) {
      throw new BadMessage("'" + field + "' must be an object");
    }
    return value;
  }

  static JsonObject optionalObject(JsonObject body, String field) {
    return body.getValue(field) == null ? null : object(body, field);
  }

  /**
   * A batch of tenants' records: 1 to {@link Directory#MAX_BATCH} objects {@code {tenantId, name,
   * attributes}}, each tenant once, its id canonical; the attributes' own rules are the
   * implementation's to check.
   */
  static JsonArray tenantRecords(JsonObject body) {
    if (!(body.getValue(Fields.TENANTS) instanceof JsonArray records) || records.isEmpty() || records.size() > Directory.MAX_BATCH) {
      throw new BadMessage("'" + Fields.TENANTS + "' must be an array of 1 to " + Directory.MAX_BATCH + " records");
    }
    Set<String> seen = new HashSet<>();
    for (Object record : records) {
      if (!(record instanceof JsonObject r) || !TenantIds.isCanonical(r.getValue(Fields.TENANT_ID))
          || !(r.getValue(Fields.NAME) instanceof String) || !(r.getValue(Fields.ATTRIBUTES) instanceof JsonObject)
          || !seen.add(r.getString(Fields.TENANT_ID))) {
        throw new BadMessage("each record must be {tenantId (canonical, once), name, attributes}");
      }
    }
    return records;
  }

  static Boolean optionalFlag(JsonObject body, String field) {
    return body.getValue(field) == null ? null : flag(body, field);
  }

  /** An evaluation reason's wire name, or null for any. */
  static String reason(JsonObject body) {
    Object reason = body.getValue(Fields.REASON);
    if (reason != null && !List.of("override", "segment", "rollout", "default").contains(reason)) {
      throw new BadMessage("'" + Fields.REASON + "' is override, segment, rollout, default or null");
    }
    return (String) reason;
  }

  static boolean flag(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof Boolean value)) {
      throw new BadMessage("'" + field + "' must be true or false");
    }
    return value;
  }
}
