package org.tenantfeatures.http;

import static org.tenantfeatures.http.auth.Access.Scope.ALL_TENANTS;
import static org.tenantfeatures.http.auth.Access.Scope.NO_TENANT;
import static org.tenantfeatures.http.auth.Access.Scope.TENANT;
import static org.tenantfeatures.http.auth.Access.Scope.TENANT_IN_PATH;
import static org.tenantfeatures.http.auth.Permission.ADMIN;
import static org.tenantfeatures.http.auth.Permission.READ;
import static org.tenantfeatures.http.auth.Permission.WRITE;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.tenantfeatures.http.auth.Access;
import org.tenantfeatures.http.edge.CrossOrigin;
import org.tenantfeatures.http.ofrep.OfrepApi;
import org.tenantfeatures.http.ops.ApiDocument;
import org.tenantfeatures.http.ops.Console;
import org.tenantfeatures.http.ops.OpsApi;
import org.tenantfeatures.http.problem.Problem;
import org.tenantfeatures.http.problem.ProblemResponses;
import org.tenantfeatures.http.v3.AuditApi;
import org.tenantfeatures.http.v3.DirectoryApi;
import org.tenantfeatures.http.v3.FlagApi;
import org.tenantfeatures.http.v3.OverrideApi;
import org.tenantfeatures.http.v3.TenantApi;
import org.tenantfeatures.telemetry.Telemetry;

/**
 * Every path the service answers, and the one table of who may reach which, in what order the
 * steps run. The path templates are also the {@code route} label of the HTTP metrics.
 *
 * <p>A body is read only once the caller may send it, only as JSON, only into memory: the access,
 * name and media-type checks run first, on a route of their own, since Vert.x Web refuses a body
 * handler behind other handlers of one route (an asynchronous one could let the body go by
 * unread; these checks are synchronous, and the router holds the body back until a body handler
 * asks for it). So each route with a body is two routes.
 */
public final class Routes {

  public static final String FEATURES = "/api/v3/features/tenant";
  public static final String OVERRIDE = FEATURES + "/:flag";
  public static final String EXPLAIN = OVERRIDE + "/explain";
  public static final String ROLES = "/api/v3/rbac/roles";
  public static final String AUDIT = "/api/v3/audit";
  public static final String CATALOGUE_AUDIT = "/api/v3/audit/catalogue";
  public static final String TOKEN = "/api/v3/token";
  public static final String TENANTS = "/api/v3/tenants";
  public static final String FLAGS = "/api/v3/flags";
  public static final String FLAG = FLAGS + "/:name";
  public static final String TARGETING = FLAG + "/targeting";
  public static final String POPULATION = FLAG + "/tenants";
  public static final String SEGMENTS = "/api/v3/segments";
  public static final String SEGMENT = SEGMENTS + "/:name";
  public static final String TENANT_RECORD = TENANTS + "/:id";
  public static final String OFREP_FLAGS = "/ofrep/v1/evaluate/flags";
  public static final String OFREP_FLAG = OFREP_FLAGS + "/:" + OfrepApi.KEY;
  public static final String OFREP_EVENTS = "/ofrep/v1/events";
  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";
  public static final String METRICS = "/metrics";
  public static final String DB_DIAGNOSTICS = "/diagnostics/db";
  public static final String SQL_TRACE = "/diagnostics/sql-trace";
  public static final String OPENAPI = "/openapi.yaml";

  /** {"enabled": true} and the like; a flag's description is at most 1,000 characters. */
  private static final int SMALL_BODY = 1024;
  private static final int FLAG_BODY = 4096;
  /** A targeting of up to 50 rules; a tenant's record of up to 50 attributes (lists of 100 strings of 256 characters fit, if not all of them). */
  private static final int TARGETING_BODY = 16 * 1024;
  private static final int TENANT_BODY = 64 * 1024;
  /** Up to 1,000 records, 4 MB in all (a few KB a tenant: the limits of one record allow more, not 1,000 such). */
  private static final int TENANT_BATCH_BODY = 4 * 1024 * 1024;
  /** A segment of up to 5,000 tenant ids (39 bytes each in JSON) and 50 conditions. */
  private static final int SEGMENT_BODY = 256 * 1024;
  /** An OFREP evaluation context: the targeting key and whatever attributes a provider sends along. */
  private static final int OFREP_BODY = 16 * 1024;

  private Routes() {
  }

  public static void mount(Router router, Access access, TenantApi tenants, OverrideApi overrides, FlagApi flags, OfrepApi ofrep,
      DirectoryApi directory, ReleaseApis releases, AuditApi audit, CrossOrigin crossOrigin, OpsApi ops, ApiDocument document, Telemetry telemetry, boolean metrics) {
    router.route().handler(telemetry::begin);
    router.route().handler(RequestIds::assign);
    // One catch-all route for both checks: each such route is a dispatch more for every request.
    router.route().handler(ctx -> admitted(ctx, crossOrigin));

    router.get(FEATURES).handler(access.requires(READ, TENANT)).handler(tenants::features);
    router.get(EXPLAIN).handler(access.requires(READ, TENANT)).handler(FlagNames.inPath("flag")).handler(tenants::explain);
    router.get(ROLES).handler(access.requires(READ, TENANT)).handler(tenants::roles);
    router.get(AUDIT).handler(access.requires(READ, TENANT)).handler(audit::tenant);
    router.get(CATALOGUE_AUDIT).handler(access.requires(READ, ALL_TENANTS)).handler(audit::catalogue);
    router.put(OVERRIDE).handler(access.requires(WRITE, TENANT)).handler(FlagNames.inPath("flag")).handler(JsonBodies::requireJson);
    router.put(OVERRIDE).handler(JsonBodies.reader(SMALL_BODY)).handler(overrides::set);
    router.delete(OVERRIDE).handler(access.requires(WRITE, TENANT)).handler(FlagNames.inPath("flag")).handler(overrides::clear);

    router.get(TOKEN).handler(access.identified()).handler(directory::token);
    router.get(TENANTS).handler(access.requires(READ, NO_TENANT)).handler(directory::tenants);
    router.post(TENANTS).handler(access.requires(WRITE, ALL_TENANTS)).handler(JsonBodies::requireJson);
    router.post(TENANTS).handler(JsonBodies.reader(TENANT_BATCH_BODY)).handler(releases.tenants()::batch);
    router.get(TENANT_RECORD).handler(access.requires(READ, TENANT_IN_PATH)).handler(releases.tenants()::one);
    router.put(TENANT_RECORD).handler(access.requires(WRITE, TENANT_IN_PATH)).handler(JsonBodies::requireJson);
    router.put(TENANT_RECORD).handler(JsonBodies.reader(TENANT_BODY)).handler(releases.tenants()::put);

    router.get(SEGMENTS).handler(access.requires(READ, ALL_TENANTS)).handler(releases.segments()::list);
    router.get(SEGMENT).handler(access.requires(READ, ALL_TENANTS)).handler(FlagNames.segmentInPath("name"))
        .handler(releases.segments()::one);
    router.put(SEGMENT).handler(access.requires(ADMIN, ALL_TENANTS)).handler(FlagNames.segmentInPath("name"))
        .handler(JsonBodies::requireJson);
    router.put(SEGMENT).handler(JsonBodies.reader(SEGMENT_BODY)).handler(releases.segments()::put);
    router.delete(SEGMENT).handler(access.requires(ADMIN, ALL_TENANTS)).handler(FlagNames.segmentInPath("name"))
        .handler(releases.segments()::delete);

    router.get(FLAGS).handler(access.requires(READ, NO_TENANT)).handler(flags::list);
    router.get(FLAG).handler(access.requires(READ, NO_TENANT)).handler(FlagNames.inPath("name")).handler(flags::one);
    router.post(FLAGS).handler(access.requires(ADMIN, ALL_TENANTS)).handler(JsonBodies::requireJson);
    router.post(FLAGS).handler(JsonBodies.reader(FLAG_BODY)).handler(flags::create);
    router.patch(FLAG).handler(access.requires(ADMIN, ALL_TENANTS)).handler(FlagNames.inPath("name")).handler(JsonBodies::requireJson);
    router.patch(FLAG).handler(JsonBodies.reader(FLAG_BODY)).handler(flags::describe);
    router.delete(FLAG).handler(access.requires(ADMIN, ALL_TENANTS)).handler(FlagNames.inPath("name")).handler(flags::delete);
    router.put(TARGETING).handler(access.requires(ADMIN, ALL_TENANTS)).handler(FlagNames.inPath("name")).handler(JsonBodies::requireJson);
    router.put(TARGETING).handler(JsonBodies.reader(TARGETING_BODY)).handler(flags::target);
    router.get(POPULATION).handler(access.requires(READ, ALL_TENANTS)).handler(FlagNames.inPath("name")).handler(flags::population);

    // The tenant is in the body (the context's targeting key): the token and its read permission
    // are checked before the body is read, the tenant's scope after (OfrepApi).
    Access ofrepAccess = access.withApiKeys();
    router.post(OFREP_FLAGS).handler(ofrepAccess.requires(READ, NO_TENANT)).handler(JsonBodies::requireJson);
    router.post(OFREP_FLAGS).handler(JsonBodies.reader(OFREP_BODY)).handler(ofrep::bulk);
    router.post(OFREP_FLAG).handler(ofrepAccess.requires(READ, NO_TENANT)).handler(JsonBodies::requireJson);
    router.post(OFREP_FLAG).handler(JsonBodies.reader(OFREP_BODY)).handler(ofrep::single);
    // The stream's credential is its URL's ticket (a browser's EventSource sends no headers).
    router.get(OFREP_EVENTS).handler(ofrep.streams()::open);

    router.get(OPENAPI).handler(document::send);
    Console.mount(router);
    router.get(LIVE).handler(ops.liveness());
    router.get(READY).handler(ops.readiness());
    if (metrics) {
      router.get(METRICS).handler(PrometheusScrapingHandler.create());
    }
    router.get(DB_DIAGNOSTICS).handler(access.requires(ADMIN, ALL_TENANTS)).handler(ops::databaseDiagnostics);
    router.put(SQL_TRACE).handler(access.requires(ADMIN, ALL_TENANTS)).handler(JsonBodies::requireJson);
    router.put(SQL_TRACE).handler(JsonBodies.reader(SMALL_BODY)).handler(ops::switchSqlTrace);
  }

  /** The methods a path takes, for the {@code Allow} header of a 405. */
  static String allowedMethods(String path) {
    return path.startsWith(FEATURES + "/") && path.endsWith("/explain") ? "GET"
        : path.startsWith(FEATURES + "/") ? "PUT, DELETE"
        : path.equals(FLAGS) ? "GET, POST"
        : path.startsWith(FLAGS + "/") && path.endsWith("/targeting") ? "PUT"
        : path.startsWith(FLAGS + "/") && path.endsWith("/tenants") ? "GET"
        : path.startsWith(SEGMENTS + "/") ? "GET, PUT, DELETE"
        : path.startsWith(TENANTS + "/") ? "GET, PUT"
        : path.equals(TENANTS) ? "GET, POST"
        : path.startsWith(FLAGS + "/") ? "GET, PATCH, DELETE"
        : path.equals(SQL_TRACE) ? "PUT"
        : path.startsWith(OFREP_FLAGS) ? "POST"
        : "GET";
  }

  /**
   * A query string that is not valid percent-encoding ({@code ?%}) makes every later parameter
   * lookup throw; it is refused here, once, as the client's mistake it is (BadInputIT found it
   * answered with a 500 when minRevision was added). Then a browser on another origin is answered
   * as {@code auth.cors} says ({@link CrossOrigin}), which goes on to the next handler itself.
   */
  private static void admitted(RoutingContext ctx, CrossOrigin crossOrigin) {
    try {
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      ProblemResponses.send(ctx, Problem.BAD_REQUEST, "The query string is not valid percent-encoding.");
      return;
    }
    crossOrigin.handle(ctx);
  }
}
