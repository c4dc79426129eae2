package org.tenantfeatures.http.v3;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.PlainJson;
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

  public void put(RoutingContext ctx) {
    JsonBodies.object(ctx).ifPresent(body -> {
      for (String key : body.fieldNames()) {
        if (!key.equals(Fields.NAME) && !key.equals(Fields.ATTRIBUTES)) {
          ProblemResponses.send(ctx, Problem.BAD_BODY, "A tenant's record has 'name' and 'attributes'; not '" + key + "'.");
          return;
        }
      }
      Object name = body.getValue(Fields.NAME, "");
      if (!(name instanceof String text) || text.length() > MAX_NAME || text.chars().anyMatch(Character::isISOControl)) {
        ProblemResponses.send(ctx, Problem.BAD_BODY, "'name' is a string of at most " + MAX_NAME + " characters, without control characters.");
        return;
      }
      Object attributes = body.getValue(Fields.ATTRIBUTES, new JsonObject());
      try {
        if (!(attributes instanceof JsonObject object)) {
          throw new InvalidDefinition("'attributes' is an object.");
        }
        Attributes.of(PlainJson.of(object));
      } catch (InvalidDefinition e) {
        ProblemResponses.send(ctx, Problem.BAD_BODY, e.getMessage());
        return;
      }
      String tenantId = Access.tenantId(ctx);
      endpoints.answer(ctx, 200, endpoints.database().putTenant(tenantId, text, (JsonObject) attributes, Access.grant(ctx).name(),
          endpoints.call(ctx)).map(reply -> {
            // This node's next read of the tenant sees the change, whatever the announcement's timing.
            cache.invalidate(tenantId, reply.getLong(Fields.REVISION));
            return reply;
          }));
    });
  }
}
