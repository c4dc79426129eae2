package org.tenantfeatures.http;

import io.vertx.ext.web.RoutingContext;
import org.tenantfeatures.bus.DatabaseClient;
import org.tenantfeatures.bus.Deadline;
import org.tenantfeatures.bus.FeatureBus.Fields;
import org.tenantfeatures.cache.TenantMap;
import org.tenantfeatures.cache.TenantMapCache;

/**
 * The tenant read endpoints. Each request gets a deadline when it arrives; the answer is the
 * complete map from the cache or the database, or a problem: never an empty map standing in for
 * an error.
 */
final class TenantApi {

  static final String JSON = "application/json";
  static final String STALE_REASON = "X-Stale-Reason";

  private final DatabaseClient database;
  private final TenantMapCache cache;
  private final int requestTimeoutMs;
  private final long circuitRetryAfterSeconds;

  TenantApi(DatabaseClient database, TenantMapCache cache, int requestTimeoutMs, long circuitRetryAfterSeconds) {
    this.database = database;
    this.cache = cache;
    this.requestTimeoutMs = requestTimeoutMs;
    this.circuitRetryAfterSeconds = circuitRetryAfterSeconds;
  }

  /** {@code GET /api/v3/features/tenant}: {@code {"<flag>": true|false, ...}} with every flag. */
  void features(RoutingContext ctx) {
    String tenantId = ctx.get(TenantAccess.TENANT);
    Deadline deadline = Deadline.in(requestTimeoutMs);
    cache.get(tenantId, id -> database.tenantFeatures(id, deadline)
            .map(reply -> TenantMap.of(id, reply.getJsonObject(Fields.FEATURES))), ctx.vertx().getOrCreateContext())
        .onSuccess(map -> ctx.response()
            .putHeader("Content-Type", JSON)
            .putHeader("Cache-Control", "no-store")
            .end(map.body()))
        .onFailure(failure -> {
          BusFailures.Answer answer = BusFailures.toAnswer(failure, circuitRetryAfterSeconds);
          cache.staleIfError(tenantId).filter(stale -> answer.problem().retryable()).ifPresentOrElse(
              stale -> sendStale(ctx, stale, answer.problem()),
              () -> ProblemResponses.send(ctx, answer.problem(), answer.detail(), answer.retryAfterSeconds()));
        });
  }

  /**
   * The last map read, after a read failed, marked so that no client takes it for a fresh one:
   * {@code Age} in seconds, {@code Warning: 111} ("revalidation failed"), and the problem that
   * prevented a fresh read in {@code X-Stale-Reason}.
   */
  private static void sendStale(RoutingContext ctx, TenantMap stale, Problem reason) {
    ctx.response()
        .putHeader("Content-Type", JSON)
        .putHeader("Cache-Control", "no-store")
        .putHeader("Age", Long.toString(stale.ageMs() / 1000))
        .putHeader("Warning", "111 tenant-features \"Revalidation Failed\"")
        .putHeader(STALE_REASON, reason.type())
        .end(stale.body());
  }

  /** {@code GET /api/v3/rbac/roles}: {@code [{"name": ..., "description": ...}, ...]} by name. */
  void roles(RoutingContext ctx) {
    String tenantId = ctx.get(TenantAccess.TENANT);
    database.tenantRoles(tenantId, Deadline.in(requestTimeoutMs))
        .onSuccess(reply -> ctx.response()
            .putHeader("Content-Type", JSON)
            .putHeader("Cache-Control", "no-store")
            .end(reply.getJsonArray(Fields.ROLES).toBuffer()))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void fail(RoutingContext ctx, Throwable failure) {
    BusFailures.Answer answer = BusFailures.toAnswer(failure, circuitRetryAfterSeconds);
    ProblemResponses.send(ctx, answer.problem(), answer.detail(), answer.retryAfterSeconds());
  }

}
