package org.tenantfeatures.http.v3;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.cache.CachedMap;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.Deadline;
import org.tenantfeatures.http.Endpoints;
import org.tenantfeatures.http.QueryNumbers;
import org.tenantfeatures.http.RequestIds;
import org.tenantfeatures.http.RequestTiming;
import org.tenantfeatures.http.RequestTiming.CacheOutcome;
import org.tenantfeatures.http.Routes;
import org.tenantfeatures.http.TenantMapSource;
import org.tenantfeatures.http.auth.Access;
import org.tenantfeatures.http.problem.BusFailures;
import org.tenantfeatures.http.problem.Problem;
import org.tenantfeatures.http.problem.ProblemResponses;
import org.tenantfeatures.telemetry.AnswerMetrics;

/**
 * The tenant read endpoints. Each request gets a deadline when it arrives; the answer is the
 * complete map from the cache or the database, or a problem: never an empty map standing in for
 * an error. Every answer says where its time went in {@code Server-Timing}.
 */
public final class TenantApi {

  private static final Logger log = LoggerFactory.getLogger(TenantApi.class);

  static final String STALE_REASON = "X-Stale-Reason";
  static final String MIN_REVISION = "minRevision";

  private final Endpoints endpoints;
  private final TenantMapCache cache;
  private final TenantMapSource maps;

  public TenantApi(Endpoints endpoints, TenantMapSource maps) {
    this.endpoints = endpoints;
    this.cache = maps.cache();
    this.maps = maps;
  }

  /** The database's map of the tenant is older than the {@code minRevision} asked for. */
  private static final class RevisionNotReached extends RuntimeException {
    RevisionNotReached(long revision, long minRevision) {
      super("The tenant is at revision " + revision + "; minRevision " + minRevision + " is not reached. A revision that a "
          + "write answered is reached on every node within about a second: retry then; a higher one does not exist.", null,
          false, false);
    }
  }

  /**
   * {@code GET /api/v3/features/tenant}: {@code {"<flag>": true|false, ...}} with every flag,
   * with {@code ETag} and {@code X-Revision}; {@code 304} for a matching {@code If-None-Match}.
   * {@code ?minRevision=N} (a write's answer) reads through the cache if the cached map is older,
   * so a writer reads its own write on any node. If the database's map is older still, the
   * answer is 409 {@code revision-not-reached}, never an older map; and a revision the database
   * has not reached costs at most one database read per tenant and cache period
   * ({@link TenantMapCache#mayReadThrough}), so that made-up revisions cannot bypass the cache.
   */
  public void features(RoutingContext ctx) {
    String tenantId = Access.tenantId(ctx);
    String minText = ctx.request().getParam(MIN_REVISION);
    OptionalLong asked = minText == null ? OptionalLong.of(0) : QueryNumbers.parse(minText, 0, Long.MAX_VALUE);
    if (asked.isEmpty()) {
      ProblemResponses.send(ctx, Problem.INVALID_MIN_REVISION, "minRevision must be a whole number of 1 to 18 ASCII digits.");
      return;
    }
    long minRevision = asked.getAsLong();
    Deadline deadline = endpoints.deadline();
    RequestTiming timing = new RequestTiming();
    maps.readThrough(ctx, tenantId, deadline, timing, map -> map.revision() >= minRevision)
        .compose(map -> map.revision() >= minRevision
            ? Future.succeededFuture(map) : Future.failedFuture(new RevisionNotReached(map.revision(), minRevision)))
        .onSuccess(map -> {
          finish(ctx, timing, "ok", tenantId);
          AnswerMetrics.count(ctx, Routes.FEATURES, "ok");
          if (!Endpoints.notModified(ctx, map)) {
            ctx.response().putHeader("Content-Type", Endpoints.JSON).end(map.body());
          }
        })
        .onFailure(failure -> {
          if (failure instanceof RevisionNotReached notReached) {
            finish(ctx, timing, AnswerMetrics.outcome(Problem.REVISION_NOT_REACHED), tenantId);
            ProblemResponses.send(ctx, Problem.REVISION_NOT_REACHED, notReached.getMessage());
            return;
          }
          BusFailures.Answer answer = endpoints.problemFor(ctx, failure);
          cache.staleIfError(tenantId).filter(stale -> answer.problem().retryable()).ifPresentOrElse(
              stale -> {
                finish(ctx, timing, "stale", tenantId);
                AnswerMetrics.count(ctx, Routes.FEATURES, "stale");
                sendStale(ctx, stale, answer.problem());
              },
              () -> refuse(ctx, timing, tenantId, answer));
        });
  }

  /** {@code GET /api/v3/rbac/roles}: {@code [{"name": ..., "description": ...}, ...]} by name. */
  /**
   * {@code GET /api/v3/features/tenant/{flag}/explain}: why the tenant has its value of the flag
   * (the reason, the deciding segment or the bucket and percentage, the revision and catalogue
   * version it was evaluated at, the audit entry that last changed the deciding input), read from
   * the database, never from the cache: it is what an operator asks when an answer surprises.
   */
  public void explain(RoutingContext ctx) {
    endpoints.answer(ctx, 200, endpoints.database().explain(Access.tenantId(ctx), ctx.pathParam("flag"), endpoints.call(ctx)));
  }

  public void roles(RoutingContext ctx) {
    String tenantId = Access.tenantId(ctx);
    RequestTiming timing = new RequestTiming();
    timing.cache(CacheOutcome.NONE);
    long sent = System.nanoTime();
    Call call = endpoints.call(ctx);
    endpoints.database().roles(tenantId, call)
        .onSuccess(roles -> {
          timing.replied(sent, call);
          finish(ctx, timing, "ok", tenantId);
          AnswerMetrics.count(ctx, Routes.ROLES, "ok");
          Endpoints.sendJson(ctx, 200, roles.toBuffer());
        })
        .onFailure(failure -> refuse(ctx, timing, tenantId, endpoints.problemFor(ctx, failure)));
  }

  private void refuse(RoutingContext ctx, RequestTiming timing, String tenantId, BusFailures.Answer answer) {
    finish(ctx, timing, AnswerMetrics.outcome(answer.problem()), tenantId);
    ProblemResponses.send(ctx, answer.problem(), answer.detail(), answer.retryAfterSeconds());
  }

  /** Server-Timing on the answer, and the same at DEBUG (problems are counted where they are written). */
  private void finish(RoutingContext ctx, RequestTiming timing, String outcome, String tenantId) {
    String header = timing.header();
    ctx.response().putHeader("Server-Timing", header);
    log.debug("req={} {} tenant={} outcome={} timing: {}", RequestIds.of(ctx), ctx.request().path(), tenantId, outcome, header);
  }

  /**
   * The last map read, after a read failed, marked so that no client takes it for a fresh one:
   * {@code Age} in seconds, {@code Warning: 111} ("revalidation failed"), and the problem that
   * prevented a fresh read in {@code X-Stale-Reason}.
   */
  private static void sendStale(RoutingContext ctx, CachedMap stale, Problem reason) {
    ctx.response()
        .putHeader("Content-Type", Endpoints.JSON)
        .putHeader("Cache-Control", "no-store")
        .putHeader("Age", Long.toString(stale.ageMs() / 1000))
        .putHeader("Warning", "111 tenant-features \"Revalidation Failed\"")
        .putHeader(STALE_REASON, reason.type())
        .end(stale.body());
  }
}
