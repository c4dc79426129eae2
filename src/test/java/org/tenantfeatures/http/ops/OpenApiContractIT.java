package org.tenantfeatures.http.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.boot.Lifecycle;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.client.DatabaseClient;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.http.Endpoints;
import org.tenantfeatures.http.ReleaseApis;
import org.tenantfeatures.http.Routes;
import org.tenantfeatures.http.TenantMapSource;
import org.tenantfeatures.http.auth.Access;
import org.tenantfeatures.http.auth.TokenAuthenticator;
import org.tenantfeatures.http.edge.CrossOrigin;
import org.tenantfeatures.http.ofrep.ChangeStreams;
import org.tenantfeatures.http.ofrep.NodeStreams;
import org.tenantfeatures.http.ofrep.OfrepApi;
import org.tenantfeatures.http.ofrep.StreamTickets;
import org.tenantfeatures.http.v3.AuditApi;
import org.tenantfeatures.http.v3.DirectoryApi;
import org.tenantfeatures.http.v3.FlagApi;
import org.tenantfeatures.http.v3.OverrideApi;
import org.tenantfeatures.http.v3.SegmentApi;
import org.tenantfeatures.http.v3.TenantApi;
import org.tenantfeatures.http.v3.TenantRecordApi;
import org.tenantfeatures.support.OpenApiDocument;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;
import org.tenantfeatures.telemetry.MetricsSetup;
import org.tenantfeatures.telemetry.Telemetry;

/**
 * {@code docs/openapi.yaml} follows the service: it has exactly the routes of {@link Routes}, and
 * an answer of each kind, success and refusal, on a running service matches its schemas and is
 * among the statuses it lists. (Every answer of {@code ScopeMatrixIT} is held against it too.)
 */
@DisplayName("The OpenAPI document")
class OpenApiContractIT {

  private static final String ADMIN = "openapi-admin-token";

  private static Vertx vertx;
  private static RunningService service;
  private static OpenApiDocument document;
  private static String tenant;

  @BeforeAll
  static void deploy() throws Exception {
    String dbUri = TestPostgres.shared().createDatabase();
    TestConfig config = TestConfig.forDatabase(dbUri).withToken("openapi-admin", ADMIN, "read", "write", "admin");
    vertx = Vertx.vertx(MetricsSetup.vertxOptions(config.build()));
    service = await(RunningService.deploy(vertx, config.build(), 4));
    Seed.flags(dbUri, 4);
    tenant = Seed.tenantWithData(dbUri);
    document = OpenApiDocument.load(vertx);
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("has every route the router takes, and no other")
  void sameRoutesAsTheRouter() {
    AppConfig config = service.config();
    Endpoints endpoints = new Endpoints(new DatabaseClient(vertx), 1_000, 1);
    TenantMapCache cache = TenantMapCache.create(config.cache(), Telemetry.none());
    Router router = Router.router(vertx);
    TenantMapSource maps = new TenantMapSource(endpoints, cache);
    Routes.mount(router, new Access(new TokenAuthenticator(List.of())), new TenantApi(endpoints, maps),
        new OverrideApi(endpoints, cache), new FlagApi(endpoints, cache), new OfrepApi(endpoints, maps, new ChangeStreams(vertx,
            new StreamTickets(new TokenAuthenticator(List.of()), 60), maps, NodeStreams.of(config.http().streams(),
            new Lifecycle(), Telemetry.none()))),
        new DirectoryApi(endpoints),
        new ReleaseApis(new SegmentApi(endpoints, cache), new TenantRecordApi(endpoints, cache)), new AuditApi(endpoints),
        CrossOrigin.of(config.crossOrigins()), new OpsApi(vertx, config, new Lifecycle(), endpoints), ApiDocument.fromJar(), Telemetry.none(), true);
    Set<String> routed = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      // The console's files are pages, not operations of the API.
      if (route.getPath() != null && route.methods() != null && !route.getPath().startsWith(Console.PATH)) {
        // Vert.x writes a path parameter :flag, OpenAPI {flag}.
        String path = route.getPath().replaceAll(":(\\w+)", "{$1}");
        route.methods().forEach(method -> routed.add(method.name() + " " + path));
      }
    }
    assertThat(routed).as("routes in Routes").isNotEmpty();
    assertThat(document.operations()).as("operations in docs/openapi.yaml").isEqualTo(routed);
  }

  @Test
  @DisplayName("describes the service's answers: each operation's success and its usual refusals")
  void answersMatch() throws Exception {
    JsonObject on = new JsonObject().put("enabled", true);
    HttpResponse<Buffer> map = call(200, HttpMethod.GET, Routes.FEATURES, ADMIN, tenant, null);
    call(304, HttpMethod.GET, Routes.FEATURES, ADMIN, tenant, null, "If-None-Match", map.getHeader("ETag"));
    call(409, HttpMethod.GET, Routes.FEATURES + "?minRevision=999999", ADMIN, tenant, null);
    call(400, HttpMethod.GET, Routes.FEATURES + "?minRevision=soon", ADMIN, tenant, null);
    call(401, HttpMethod.GET, Routes.FEATURES, null, tenant, null);
    call(400, HttpMethod.GET, Routes.FEATURES, ADMIN, null, null);
    call(400, HttpMethod.GET, Routes.FEATURES, ADMIN, "not-a-uuid", null);
    call(403, HttpMethod.GET, Routes.FEATURES, TestConfig.SCOPED_TOKEN, tenant, null);
    call(200, HttpMethod.GET, Routes.ROLES, ADMIN, tenant, null);
    call(200, HttpMethod.PUT, "/api/v3/features/tenant/flag_001", ADMIN, tenant, on);
    call(400, HttpMethod.PUT, "/api/v3/features/tenant/flag_001", ADMIN, tenant, new JsonObject().put("enabled", "yes"));
    call(404, HttpMethod.PUT, "/api/v3/features/tenant/no_such_flag", ADMIN, tenant, on);
    call(400, HttpMethod.PUT, "/api/v3/features/tenant/Bad_Name", ADMIN, tenant, on);
    call(403, HttpMethod.PUT, "/api/v3/features/tenant/flag_001", TestConfig.ALL_TENANTS_TOKEN, tenant, on);
    call(200, HttpMethod.DELETE, "/api/v3/features/tenant/flag_001", ADMIN, tenant, null);
    call(200, HttpMethod.GET, Routes.AUDIT + "?limit=2", ADMIN, tenant, null);
    call(400, HttpMethod.GET, Routes.AUDIT + "?limit=0", ADMIN, tenant, null);
    call(200, HttpMethod.GET, Routes.AUDIT + "?flag=flag_001", ADMIN, tenant, null);
    call(400, HttpMethod.GET, Routes.AUDIT + "?flag=Bad_Name", ADMIN, tenant, null);
    call(200, HttpMethod.GET, Routes.TOKEN, TestConfig.SCOPED_TOKEN, null, null);
    call(401, HttpMethod.GET, Routes.TOKEN, null, null, null);
    call(200, HttpMethod.GET, Routes.TENANTS + "?limit=5", ADMIN, null, null);
    call(400, HttpMethod.GET, Routes.TENANTS + "?after=nope", ADMIN, null, null);
    call(200, HttpMethod.GET, "/api/v3/flags/flag_001", ADMIN, null, null);
    call(404, HttpMethod.GET, "/api/v3/flags/no_such_flag", ADMIN, null, null);
    call(200, HttpMethod.GET, Routes.FLAGS, ADMIN, null, null);
    call(201, HttpMethod.POST, Routes.FLAGS, ADMIN, null, new JsonObject().put("name", "openapi_flag").put("description", "d"));
    call(409, HttpMethod.POST, Routes.FLAGS, ADMIN, null, new JsonObject().put("name", "openapi_flag"));
    call(403, HttpMethod.POST, Routes.FLAGS, TestConfig.ALL_TENANTS_TOKEN, null, new JsonObject().put("name", "x"));
    call(200, HttpMethod.PATCH, "/api/v3/flags/openapi_flag", ADMIN, null, new JsonObject().put("description", "e"));
    call(400, HttpMethod.PATCH, "/api/v3/flags/openapi_flag", ADMIN, null, new JsonObject().put("description", 7));
    call(200, HttpMethod.DELETE, "/api/v3/flags/openapi_flag", ADMIN, null, null);
    call(404, HttpMethod.DELETE, "/api/v3/flags/openapi_flag", ADMIN, null, null);
    JsonObject segment = new JsonObject().put("description", "big ones").put("match", "any")
        .put("conditions", new JsonArray().add(new JsonObject().put("attribute", "seats").put("op", "gte").put("values", new JsonArray().add(100))))
        .put("tenants", new JsonArray().add(tenant));
    call(200, HttpMethod.PUT, "/api/v3/segments/openapi_segment", ADMIN, null, segment);
    call(400, HttpMethod.PUT, "/api/v3/segments/openapi_segment", ADMIN, null, new JsonObject().put("match", "most"));
    call(400, HttpMethod.PUT, "/api/v3/segments/Bad_Name", ADMIN, null, segment);
    call(200, HttpMethod.GET, Routes.SEGMENTS, ADMIN, null, null);
    JsonObject rules = new JsonObject().put("default", false).put("rules", new JsonArray().add(
        new JsonObject().put("segment", "openapi_segment").put("value", true))).put("rollout", new JsonObject().put("percentage", 12.5));
    call(200, HttpMethod.PUT, "/api/v3/flags/flag_001/targeting", ADMIN, null, rules);
    call(422, HttpMethod.PUT, "/api/v3/flags/flag_001/targeting", ADMIN, null, new JsonObject().put("rules", new JsonArray().add(
        new JsonObject().put("segment", "no_such_segment").put("value", true))));
    call(400, HttpMethod.PUT, "/api/v3/flags/flag_001/targeting", ADMIN, null, new JsonObject().put("rollout", new JsonObject().put("percentage", 101)));
    call(404, HttpMethod.PUT, "/api/v3/flags/no_such_flag/targeting", ADMIN, null, new JsonObject());
    call(200, HttpMethod.GET, "/api/v3/segments/openapi_segment", ADMIN, null, null);
    call(200, HttpMethod.PUT, "/api/v3/flags/flag_002/targeting?dryRun=true", ADMIN, null, rules);
    call(200, HttpMethod.GET, "/api/v3/flags/flag_001/tenants?value=true&limit=5", ADMIN, null, null);
    call(404, HttpMethod.GET, "/api/v3/flags/no_such_flag/tenants", ADMIN, null, null);
    call(200, HttpMethod.POST, Routes.TENANTS, ADMIN, null, new JsonObject().put("tenants", new JsonArray().add(
        new JsonObject().put("tenantId", UUID.randomUUID().toString()).put("name", "Batch").put("attributes", new JsonObject()))));
    call(200, HttpMethod.GET, Routes.TENANTS + "?prefix=bat&attribute=seats:120", ADMIN, null, null);
    call(200, HttpMethod.GET, Routes.FEATURES + "/flag_001/explain", ADMIN, tenant, null);
    call(404, HttpMethod.GET, Routes.FEATURES + "/no_such_flag/explain", ADMIN, tenant, null);
    call(409, HttpMethod.DELETE, "/api/v3/segments/openapi_segment", ADMIN, null, null);
    call(200, HttpMethod.PUT, "/api/v3/flags/flag_001/targeting", ADMIN, null, new JsonObject());
    call(200, HttpMethod.DELETE, "/api/v3/segments/openapi_segment", ADMIN, null, null);
    call(404, HttpMethod.GET, "/api/v3/segments/openapi_segment", ADMIN, null, null);
    call(404, HttpMethod.GET, "/api/v3/tenants/" + tenant, ADMIN, null, null);
    call(200, HttpMethod.PUT, "/api/v3/tenants/" + tenant, ADMIN, null, new JsonObject().put("name", "Acme")
        .put("attributes", new JsonObject().put("seats", 120).put("tags", new JsonArray().add("beta"))));
    call(400, HttpMethod.PUT, "/api/v3/tenants/" + tenant, ADMIN, null, new JsonObject().put("attributes", new JsonObject().put("x", new JsonObject())));
    call(200, HttpMethod.GET, "/api/v3/tenants/" + tenant, ADMIN, null, null);
    call(400, HttpMethod.GET, "/api/v3/tenants/not-a-uuid", ADMIN, null, null);
    call(403, HttpMethod.GET, "/api/v3/tenants/" + tenant, TestConfig.SCOPED_TOKEN, null, null);
    HttpResponse<Buffer> served = call(200, HttpMethod.GET, Routes.OPENAPI, null, null, null);
    assertThat(served.bodyAsString()).as("the document the service serves").isEqualTo(Files.readString(OpenApiDocument.FILE));
    call(200, HttpMethod.GET, Routes.LIVE, null, null, null);
    call(200, HttpMethod.GET, Routes.READY, null, null, null);
    call(200, HttpMethod.GET, Routes.METRICS, null, null, null);
    call(200, HttpMethod.GET, Routes.DB_DIAGNOSTICS, ADMIN, null, null);
    call(403, HttpMethod.GET, Routes.DB_DIAGNOSTICS, TestConfig.ALL_TENANTS_TOKEN, null, null);
    call(200, HttpMethod.PUT, Routes.SQL_TRACE, ADMIN, null, new JsonObject().put("enabled", false));
    call(400, HttpMethod.PUT, Routes.SQL_TRACE, ADMIN, null, new JsonObject());
  }

  /** Sends a request, checks it got {@code status} (so that each kind of answer is really seen), and holds the answer against the document. */
  private static HttpResponse<Buffer> call(int status, HttpMethod method, String path, String token, String tenantId, JsonObject body,
      String... header) throws Exception {
    HttpRequest<Buffer> request = service.request(method, path, token, tenantId);
    for (int i = 0; i + 1 < header.length; i += 2) {
      request.putHeader(header[i], header[i + 1]);
    }
    HttpResponse<Buffer> response = await(body == null ? request.send() : request.sendJsonObject(body));
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.bodyAsString()).isEqualTo(status);
    document.check(method, path, response);
    return response;
  }
}
