package org.tenantfeatures.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tenantfeatures.http.problem.ProblemResponses;
import org.tenantfeatures.support.OpenApiDocument;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;

/**
 * Every route that reaches tenant data, the catalogue or the diagnostics, asked by every kind of
 * token, for a tenant in its scope and one outside: the exact status and problem type; no byte of
 * the other tenant's data in any answer; and nothing (row, revision, audit entry) changed by a
 * refused request; and every answer as {@code docs/openapi.yaml} describes it. A route added later
 * belongs in {@link #ROUTES}, with its expectation in {@link #expected}.
 */
@DisplayName("Scope and permission matrix")
class ScopeMatrixIT {

  static final String A = "aaaaaaaa-1111-4111-8111-00000000000a";
  static final String B = "bbbbbbbb-2222-4222-8222-00000000000b";
  /** Markers only tenant B's data carries: a role name and the request id of its audit entry. */
  static final String B_ROLE = "b-secret-role";
  static final String B_REQUEST = "b-secret-request";
  static final String A_REQUEST = "a-own-request";

  /** The kinds of caller: no token, and tokens of these permissions scoped to tenant A or to all tenants. */
  enum Caller {
    NONE(null, null),
    READ_A("matrix-read-a", List.of("read")),
    READ_WRITE_A("matrix-read-write-a", List.of("read", "write")),
    WRITE_ONLY_A("matrix-write-only-a", List.of("write")),
    ADMIN_A("matrix-admin-a", List.of("read", "write", "admin")),
    ADMIN_ALL("matrix-admin-all", List.of("read", "write", "admin"));

    final String token;
    final List<String> permissions;

    Caller(String token, List<String> permissions) {
      this.token = token;
      this.permissions = permissions;
    }

    boolean may(String permission) {
      return permissions != null && permissions.contains(permission);
    }

    boolean reaches(String tenant) {
      return this == ADMIN_ALL || A.equals(tenant);
    }
  }

  /** What a route needs, and whether it is about one tenant (the X-Tenant-ID header). */
  enum Need { READ, WRITE, CATALOGUE_READ, CATALOGUE_ADMIN, DIAGNOSTICS, ANY_TOKEN }

  record Route(String name, HttpMethod method, String path, JsonObject body, Need need, int okStatus, String okType) {
    boolean perTenant() {
      return need == Need.READ || need == Need.WRITE;
    }
  }

  /** Catalogue changes name what does not exist or is taken, so that passing the checks changes nothing either. */
  static final List<Route> ROUTES = List.of(
      new Route("read map", HttpMethod.GET, "/api/v3/features/tenant", null, Need.READ, 200, null),
      new Route("read roles", HttpMethod.GET, "/api/v3/rbac/roles", null, Need.READ, 200, null),
      new Route("read audit", HttpMethod.GET, "/api/v3/audit", null, Need.READ, 200, null),
      new Route("set override", HttpMethod.PUT, "/api/v3/features/tenant/flag_001", new JsonObject().put("enabled", true),
          Need.WRITE, 200, null),
      new Route("clear override", HttpMethod.DELETE, "/api/v3/features/tenant/flag_002", null, Need.WRITE, 200, null),
      new Route("list flags", HttpMethod.GET, "/api/v3/flags", null, Need.CATALOGUE_READ, 200, null),
      new Route("read a flag", HttpMethod.GET, "/api/v3/flags/flag_003", null, Need.CATALOGUE_READ, 200, null),
      new Route("list tenants", HttpMethod.GET, "/api/v3/tenants", null, Need.CATALOGUE_READ, 200, null),
      new Route("who am I", HttpMethod.GET, "/api/v3/token", null, Need.ANY_TOKEN, 200, null),
      new Route("create a taken flag", HttpMethod.POST, "/api/v3/flags", new JsonObject().put("name", "flag_000"),
          Need.CATALOGUE_ADMIN, 409, "flag-exists"),
      new Route("describe no flag", HttpMethod.PATCH, "/api/v3/flags/no_such_flag", new JsonObject().put("description", "x"),
          Need.CATALOGUE_ADMIN, 404, "unknown-flag"),
      new Route("delete no flag", HttpMethod.DELETE, "/api/v3/flags/no_such_flag", null, Need.CATALOGUE_ADMIN, 404, "unknown-flag"),
      new Route("db diagnostics", HttpMethod.GET, "/diagnostics/db", null, Need.DIAGNOSTICS, 200, null));

  /** The status and problem type (null for a success) that a caller must get on a route for a tenant. */
  static Object[] expected(Route route, Caller caller, String tenant) {
    if (caller == Caller.NONE) {
      return new Object[] {401, "unauthorized"};
    }
    if (route.perTenant() && !caller.reaches(tenant)) {
      return new Object[] {403, "tenant-forbidden"};
    }
    return switch (route.need()) {
      case READ, CATALOGUE_READ -> caller.may("read") ? ok(route) : new Object[] {403, "read-required"};
      case ANY_TOKEN -> ok(route);
      case WRITE -> caller.may("write") ? ok(route) : new Object[] {403, "write-required"};
      case CATALOGUE_ADMIN, DIAGNOSTICS -> !caller.may("admin") ? new Object[] {403, "admin-required"}
          : caller != Caller.ADMIN_ALL ? new Object[] {403, "all-tenants-required"} : ok(route);
    };
  }

  private static Object[] ok(Route route) {
    return new Object[] {route.okStatus(), route.okType()};
  }

  private static Vertx vertx;
  private static RunningService service;
  private static String dbUri;
  private static OpenApiDocument document;

  @BeforeAll
  static void deploy() throws Exception {
    dbUri = TestPostgres.shared().createDatabase();
    TestConfig config = TestConfig.forDatabase(dbUri).with("cache.ttlMs", 60_000);
    for (Caller caller : Caller.values()) {
      if (caller.token != null) {
        config.withScopedToken(caller.name().toLowerCase(), caller.token, List.of(caller == Caller.ADMIN_ALL ? "*" : A),
            caller.permissions.toArray(String[]::new));
      }
    }
    vertx = Vertx.vertx();
    service = await(RunningService.deploy(vertx, config.build(), 8));
    document = OpenApiDocument.load(vertx);
    Seed.flags(dbUri, 4);
    // Tenant B has data of its own, marked so that any leak shows: a role, an override, an audit entry.
    Sql.execute(dbUri, "INSERT INTO roles (tenant_id, name, description) VALUES ('" + B + "', '" + B_ROLE + "', 'only B')");
    HttpResponse<Buffer> write = await(service.client().put("/api/v3/features/tenant/flag_003")
        .putHeader("Authorization", "Bearer " + Caller.ADMIN_ALL.token).putHeader("X-Tenant-ID", B)
        .putHeader("X-Request-ID", B_REQUEST).sendJsonObject(new JsonObject().put("enabled", true)));
    assertThat(write.statusCode()).isEqualTo(200);
    // And tenant A one of its own.
    Sql.execute(dbUri, "INSERT INTO roles (tenant_id, name, description) VALUES ('" + A + "', 'a-role', 'only A')");
    assertThat(await(service.client().put("/api/v3/features/tenant/flag_000")
        .putHeader("Authorization", "Bearer " + Caller.ADMIN_ALL.token).putHeader("X-Tenant-ID", A)
        .putHeader("X-Request-ID", A_REQUEST).sendJsonObject(new JsonObject().put("enabled", true))).statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
  }


  /** Everything a request could change: overrides, revisions, audit entries, the catalogue. */
  private static String state() throws Exception {
    try (Connection c = Sql.connect(dbUri); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
        SELECT (SELECT count(*) FROM audit_log) || '|'
            || (SELECT coalesce(string_agg(tenant_id || ':' || revision, ',' ORDER BY tenant_id), '') FROM tenant_revisions) || '|'
            || (SELECT coalesce(string_agg(tenant_id || ':' || feature_id || ':' || is_enabled, ',' ORDER BY tenant_id, feature_id), '')
                FROM tenant_features) || '|'
            || (SELECT string_agg(name || ':' || description, ',' ORDER BY name) FROM feature_flags)""")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @TestFactory
  @DisplayName("every route × every kind of token × a tenant in and out of scope")
  Stream<DynamicTest> matrix() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Route route : ROUTES) {
      for (Caller caller : Caller.values()) {
        for (String tenant : route.perTenant() ? List.of(A, B) : List.of(A)) {
          String name = route.name() + " by " + caller + (route.perTenant() ? " for " + (tenant.equals(A) ? "A" : "B") : "");
          tests.add(DynamicTest.dynamicTest(name, () -> check(route, caller, tenant)));
        }
      }
    }
    return tests.stream();
  }

  private void check(Route route, Caller caller, String tenant) throws Exception {
    String what = route.name() + " by " + caller + " for tenant " + (tenant.equals(A) ? "A" : "B");
    Object[] expected = expected(route, caller, tenant);
    int status = (int) expected[0];
    String type = (String) expected[1];
    String before = state();
    HttpRequest<Buffer> request = service.request(route.method(), route.path(), caller.token, tenant);
    HttpResponse<Buffer> response = await(route.body() == null ? request.send() : request.sendJsonObject(route.body()));
    String body = response.bodyAsString() == null ? "" : response.bodyAsString();
    assertThat(response.statusCode()).as("tenant isolation and permissions: %s must answer %d; got %s", what, status, body)
        .isEqualTo(status);
    document.check(route.method(), route.path(), response);
    if (type != null) {
      assertThat(response.getHeader("Content-Type")).isEqualTo(ProblemResponses.CONTENT_TYPE);
      assertThat(response.bodyAsJsonObject().getString("type")).as("tenant isolation and permissions: the problem for %s", what)
          .isEqualTo("/problems/" + type);
    }
    // The tenants list names every tenant a token reaches: B's id is for the token scoped to all only.
    boolean listsB = route.name().equals("list tenants") && caller.reaches(B);
    if (!tenant.equals(B) && route.need() != Need.DIAGNOSTICS && !listsB) {
      assertThat(body).as("tenant isolation: no data of tenant B in the answer to %s", what).doesNotContain(B, B_ROLE, B_REQUEST);
    }
    if (status >= 400) {
      assertThat(state()).as("a refused request changes nothing: overrides, revisions, audit and catalogue after %s", what)
          .isEqualTo(before);
    }
  }

  @Test
  @DisplayName("the tenants list holds the token's tenants only, paged by id")
  void tenantsListIsScoped() throws Exception {
    assertThat(tenantIds(Caller.READ_A, "")).containsExactly(A);
    assertThat(tenantIds(Caller.ADMIN_ALL, "")).containsExactly(A, B);
    JsonObject first = await(service.request(HttpMethod.GET, "/api/v3/tenants?limit=1", Caller.ADMIN_ALL.token, null).send())
        .bodyAsJsonObject();
    assertThat(first.getString("next")).isEqualTo(A);
    assertThat(tenantIds(Caller.ADMIN_ALL, "?after=" + A)).containsExactly(B);
  }

  private static List<String> tenantIds(Caller caller, String query) throws Exception {
    HttpResponse<Buffer> page = await(service.request(HttpMethod.GET, "/api/v3/tenants" + query, caller.token, null).send());
    assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
    return page.bodyAsJsonObject().getJsonArray("tenants").stream().map(t -> ((JsonObject) t).getString("tenantId")).toList();
  }

  @TestFactory
  @DisplayName("each tenant's audit log holds its own entries only")
  Stream<DynamicTest> auditIsolation() {
    return Stream.of(A, B).map(tenant -> DynamicTest.dynamicTest(tenant.equals(A) ? "A" : "B", () -> {
      JsonObject page = await(service.client().get("/api/v3/audit").putHeader("Authorization", "Bearer " + Caller.ADMIN_ALL.token)
          .putHeader("X-Tenant-ID", tenant).send()).bodyAsJsonObject();
      // Other tests of this class may have written to either tenant; the marked writes tell them apart.
      List<String> requestIds = page.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("requestId")).toList();
      if (tenant.equals(A)) {
        assertThat(requestIds).contains(A_REQUEST).doesNotContain(B_REQUEST);
      } else {
        assertThat(requestIds).contains(B_REQUEST).doesNotContain(A_REQUEST);
      }
    }));
  }
}
