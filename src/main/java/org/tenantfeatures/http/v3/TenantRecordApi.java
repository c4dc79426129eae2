package org.tenantfeatures.http.v3;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.client.Directory;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.PlainJson;
import org.tenantfeatures.client.TenantIds;
import org.tenantfeatures.evaluation.Attributes;
import org.tenantfeatures.evaluation.InvalidDefinition;
import org.tenantfeatures.http.Endpoints;
import org.tenantfeatures.http.JsonBodies;
import org.tenantfeatures.http.auth.Access;
import org.tenantfeatures.http.problem.Problem;
import org.tenantfeatures.http.problem.ProblemResponses;

/**
 * A tenant's record: {@code GET /api/v3/tenants/{id}} (read permission on that tenant) and
 * {@code PUT} (write permission on it) with {@code {"name", "attributes"}}. Its attributes are
 * inputs of its map, as its overrides are: a change moves its revision (answered, for a following
 * read's {@code minRevision}) and is announced to every node.
 */
public final class TenantRecordApi {

  /** A display name's length at most. */
  static final int MAX_NAME = 200;

  private final Endpoints endpoints;
  private final TenantMapCache cache;

  public TenantRecordApi(Endpoints endpoints, TenantMapCache cache) {
    this.endpoints = endpoints;
    this.cache = cache;
  }

  public void one(RoutingContext ctx) {
    endpoints.answer(ctx, 200, endpoints.database().getTenant(Access.tenantId(ctx), endpoints.call(ctx)));
  }

  /**
   * {@code POST /api/v3/tenants} with {@code {"tenants": [{"tenantId", "name", "attributes"}, ...]}}
   * (a token with {@code write} on all tenants): up to {@link Directory#MAX_BATCH} records created
   * or replaced in one transaction, all or none, each checked as a single {@code PUT} is; a tenant
   * listed twice is refused. Answers {@code {received, changed}}.
   */
  public void batch(RoutingContext ctx) {
    JsonBodies.object(ctx).ifPresent(body -> {
      if (body.size() != 1 || !(body.getValue(Fields.TENANTS) instanceof JsonArray list) || list.isEmpty()
          || list.size() > Directory.MAX_BATCH) {
        ProblemResponses.send(ctx, Problem.BAD_BODY, "Send {\"tenants\": [{\"tenantId\", \"name\", \"attributes\"}, ...]} with 1 to "
            + Directory.MAX_BATCH + " records.");
        return;
      }
      JsonArray records = new JsonArray();
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        Object item = list.getValue(i);
        Optional<String> id = item instanceof JsonObject r && r.getValue(Fields.TENANT_ID) instanceof String s
            ? TenantIds.canonical(s) : Optional.empty();
        if (id.isEmpty() || !seen.add(id.get())) {
          ProblemResponses.send(ctx, Problem.BAD_BODY, "Record " + i + ": 'tenantId' is a tenant's UUID, each tenant once.");
          return;
        }
        JsonObject record = (JsonObject) item;
        Optional<String> problem = check(record, Set.of(Fields.TENANT_ID, Fields.NAME, Fields.ATTRIBUTES));
        if (problem.isPresent()) {
          ProblemResponses.send(ctx, Problem.BAD_BODY, "Record " + i + ": " + problem.get());
          return;
        }
        records.add(new JsonObject().put(Fields.TENANT_ID, id.get()).put(Fields.NAME, record.getValue(Fields.NAME, ""))
            .put(Fields.ATTRIBUTES, record.getValue(Fields.ATTRIBUTES, new JsonObject())));
      }
      endpoints.answer(ctx, 200, endpoints.database().putTenants(records, Access.grant(ctx).name(), endpoints.call(ctx))
          // Every changed tenant's next read here sees the change, whatever the announcements' timing.
          .onSuccess(reply -> records.forEach(record -> cache.invalidate(((JsonObject) record).getString(Fields.TENANT_ID)))));
    });
  }

  /** The problem with a record's fields ({@code name}, {@code attributes}, and no others than {@code allowed}), if any. */
  private static Optional<String> check(JsonObject record, Set<String> allowed) {
    for (String key : record.fieldNames()) {
      if (!allowed.contains(key)) {
        return Optional.of("a tenant's record has " + allowed + "; not '" + key + "'.");
      }
    }
    Object name = record.getValue(Fields.NAME, "");
    if (!(name instanceof String text) || text.length() > MAX_NAME || text.chars().anyMatch(Character::isISOControl)) {
      return Optional.of("'name' is a string of at most " + MAX_NAME + " characters, without control characters.");
    }
    Object attributes = record.getValue(Fields.ATTRIBUTES, new JsonObject());
    try {
      if (!(attributes instanceof JsonObject object)) {
        throw new InvalidDefinition("'attributes' is an object.");
      }
      Attributes.of(PlainJson.of(object));
    } catch (InvalidDefinition e) {
      return Optional.of(e.getMessage());
    }
    return Optional.empty();
  }

  public void put(RoutingContext ctx) {
    JsonBodies.object(ctx).ifPresent(body -> {
      Optional<String> problem = check(body, Set.of(Fields.NAME, Fields.ATTRIBUTES));
      if (problem.isPresent()) {
        ProblemResponses.send(ctx, Problem.BAD_BODY, problem.get());
        return;
      }
      String tenantId = Access.tenantId(ctx);
      endpoints.answer(ctx, 200, endpoints.database().putTenant(tenantId, body.getString(Fields.NAME, ""),
          body.getJsonObject(Fields.ATTRIBUTES, new JsonObject()), Access.grant(ctx).name(),
          // This node's next read of the tenant sees the change, whatever the announcement's timing.
          endpoints.call(ctx)).onSuccess(reply -> cache.invalidate(tenantId, reply.getLong(Fields.REVISION))));
    });
  }
}
