package org.tenantfeatures.http.ofrep;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.tenantfeatures.cache.CachedMap;
import org.tenantfeatures.client.TenantIds;
import org.tenantfeatures.config.AppConfig.TokenGrant;
import org.tenantfeatures.http.Endpoints;
import org.tenantfeatures.http.JsonBodies;
import org.tenantfeatures.http.RequestTiming;
import org.tenantfeatures.http.TenantMapSource;
import org.tenantfeatures.http.auth.Access;
import org.tenantfeatures.http.problem.BusFailures;

/**
 * The OpenFeature Remote Evaluation Protocol (OFREP 0.3.0), so that any OpenFeature SDK reads
 * tenant maps: {@code POST /ofrep/v1/evaluate/flags} (every flag) and
 * {@code POST /ofrep/v1/evaluate/flags/{key}} (one), with {@code {"context": {"targetingKey":
 * "<tenant UUID>"}}}. The tenant is the targeting key, and the token's scope applies to it exactly
 * as to {@code X-Tenant-ID} on the v3 read (which, if sent too, must name the same tenant).
 *
 * <p>Each flag is boolean: {@code value}, {@code variant} {@code on}/{@code off}, and {@code reason}
 * {@code TARGETING_MATCH} when the tenant's own override or a segment rule decided it,
 * {@code SPLIT} when the flag's rollout holds the tenant, {@code STATIC} when it has the flag's
 * default: the protocol's reasons have no {@code DEFAULT}, and the default is one fixed value for
 * every tenant nothing else decides. {@code metadata} carries the tenant's revision, whether the
 * flag is overridden, and the deciding {@code segment} or {@code rollout: true}. The bulk answer's {@code ETag} is the v3 read's:
 * the tenant's revision and the catalogue's checksum, equal on every node; {@code If-None-Match}
 * with it answers 304, and the answer advertises the tenant's change stream ({@link ChangeStreams}).
 * The map is never partial: database trouble is a 429 with
 * {@code Retry-After} (the protocol's retryable answer), never a 200 with flags missing.
 */
public record OfrepApi(Endpoints endpoints, TenantMapSource tenants, ChangeStreams streams, Cache<CachedMap, Buffer> encodedFlags) {

  public static final String KEY = "key";

  /**
   * {@code encodedFlags}: the bulk answer's flags, encoded once per map (by identity: a map is
   * immutable, and a new read is a new map), since encoding every flag object per request was most
   * of the bulk route's CPU. Weak keys: an entry goes with its map, once the map cache drops it.
   */
  public OfrepApi(Endpoints endpoints, TenantMapSource tenants, ChangeStreams streams) {
    this(endpoints, tenants, streams, Caffeine.newBuilder().weakKeys().maximumSize(100_000).build());
  }

  public void bulk(RoutingContext ctx) {
    tenant(ctx, null).ifPresent(tenantId -> current(ctx, tenantId)
        .onSuccess(map -> {
          if (Endpoints.notModified(ctx, map)) {
            return;
          }
          JsonObject stream = new JsonObject().put("type", "sse").put("inactivityDelaySec", 120)
              .put("endpoint", new JsonObject().put("requestUri", streams.requestUri(Access.grant(ctx), tenantId)));
          // {"flags": [...], "eventStreams": [...], "metadata": {...}}, the flags encoded once per map.
          ctx.response().putHeader("Content-Type", Endpoints.JSON).end(Buffer.buffer()
              .appendString("{\"flags\":").appendBuffer(encodedFlags.get(map, OfrepApi::flags))
              .appendString(",\"eventStreams\":").appendBuffer(new JsonArray().add(stream).toBuffer())
              .appendString(",\"metadata\":").appendBuffer(new JsonObject().put("tenantId", tenantId)
                  .put("revision", map.revision()).toBuffer())
              .appendString("}"));
        })
        .onFailure(failure -> unavailable(ctx, null, failure)));
  }

  public void single(RoutingContext ctx) {
    String key = ctx.pathParam(KEY);
    tenant(ctx, key).ifPresent(tenantId -> tenants.map(ctx, tenantId)
        .onSuccess(map -> {
          if (!map.has(key)) {
            send(ctx, 404, key, "FLAG_NOT_FOUND", "Flag '" + key + "' is not in the catalogue.");
            return;
          }
          Endpoints.sendJson(ctx, 200, evaluation(map, key).toBuffer());
        })
        .onFailure(failure -> unavailable(ctx, key, failure)));
  }

  /**
   * The tenant's map; a refetch a change stream triggered ({@code ?flagConfigEtag=}) that this
   * node's cache does not match yet reads through once: the stream's node may have heard of the
   * change before this one. A made-up tag costs at most one database read per tenant and cache
   * period, as a made-up {@code minRevision} does.
   */
  private Future<CachedMap> current(RoutingContext ctx, String tenantId) {
    String wanted = ctx.request().getParam("flagConfigEtag");
    return tenants.readThrough(ctx, tenantId, endpoints.deadline(), new RequestTiming(),
        map -> wanted == null || map.etag().equals(wanted));
  }

  /** Every flag of the map, evaluated, as the bulk answer's {@code flags} array. */
  private static Buffer flags(CachedMap map) {
    JsonArray flags = new JsonArray();
    map.flags().forEach(flag -> flags.add(evaluation(map, flag)));
    return flags.toBuffer();
  }

  private static JsonObject evaluation(CachedMap map, String flag) {
    boolean value = map.value(flag);
    boolean overridden = map.overridden(flag);
    String segment = map.bySegment().get(flag);
    boolean rollout = map.inRollout(flag);
    JsonObject metadata = new JsonObject().put("revision", map.revision()).put("overridden", overridden);
    if (segment != null) {
      metadata.put("segment", segment);
    }
    if (rollout) {
      metadata.put("rollout", true);
    }
    return new JsonObject()
        .put(KEY, flag)
        .put("value", value)
        .put("variant", value ? "on" : "off")
        .put("reason", overridden || segment != null ? "TARGETING_MATCH" : rollout ? "SPLIT" : "STATIC")
        .put("metadata", metadata);
  }

  /**
   * The tenant of the request's evaluation context, canonical and in the token's scope; otherwise
   * the request is answered (400 in the protocol's error shape, 403 outside the scope) and empty.
   */
  private Optional<String> tenant(RoutingContext ctx, String key) {
    JsonObject body;
    try {
      body = (JsonObject) JsonBodies.strict(ctx.body().buffer()); // JSON but no object: a ClassCastException, not JSON here
    } catch (JsonBodies.DuplicateKeyException twice) {
      // Ambiguous: a proxy or gateway in front may have read the other targetingKey.
      return refuse(ctx, key, "PARSE_ERROR", twice.getMessage());
    } catch (RuntimeException notJson) {
      return refuse(ctx, key, "PARSE_ERROR", "The body is not JSON: send {\"context\": {\"targetingKey\": \"<tenant UUID>\"}}.");
    }
    if (body == null || !(body.getValue("context") instanceof JsonObject context)) {
      return refuse(ctx, key, "INVALID_CONTEXT", "Send {\"context\": {\"targetingKey\": \"<tenant UUID>\"}}.");
    }
    Object targetingKey = context.getValue("targetingKey");
    if (targetingKey == null || targetingKey instanceof String s && s.isBlank()) {
      return refuse(ctx, key, "TARGETING_KEY_MISSING", "The context's targetingKey is the tenant's UUID.");
    }
    Optional<String> tenantId = targetingKey instanceof String s ? TenantIds.canonical(s) : Optional.empty();
    if (tenantId.isEmpty()) {
      return refuse(ctx, key, "INVALID_CONTEXT", "The context's targetingKey must be a tenant UUID such as "
          + "550e8400-e29b-41d4-a716-446655440000.");
    }
    String header = ctx.request().getHeader(Access.TENANT_HEADER);
    if (header != null && !TenantIds.canonical(header).equals(tenantId)) {
      return refuse(ctx, key, "INVALID_CONTEXT", "X-Tenant-ID and the context's targetingKey name different tenants.");
    }
    TokenGrant grant = Access.grant(ctx);
    return Access.reaches(ctx, grant, tenantId.get()) ? tenantId : Optional.empty();
  }

  private static Optional<String> refuse(RoutingContext ctx, String key, String errorCode, String details) {
    send(ctx, 400, key, errorCode, details);
    return Optional.empty();
  }

  /**
   * A read that failed: retryable trouble (database down or slow, pool exhausted, circuit open)
   * is the protocol's 429 with {@code Retry-After}, so that a provider keeps what it has and asks
   * again; anything else a 500 in the protocol's general error shape.
   */
  private void unavailable(RoutingContext ctx, String key, Throwable failure) {
    BusFailures.Answer answer = endpoints.problemFor(ctx, failure);
    if (answer.problem().retryable()) {
      ctx.response().putHeader("Retry-After", Long.toString(answer.retryAfterSeconds()));
      send(ctx, 429, key, "GENERAL", answer.detail());
    } else {
      Endpoints.sendJson(ctx, 500, new JsonObject().put("errorDetails", answer.detail()).toBuffer());
    }
  }

  private static void send(RoutingContext ctx, int status, String key, String errorCode, String details) {
    JsonObject body = new JsonObject();
    if (key != null) {
      body.put(KEY, key);
    }
    Endpoints.sendJson(ctx, status, body.put("errorCode", errorCode).put("errorDetails", details).toBuffer());
  }
}
