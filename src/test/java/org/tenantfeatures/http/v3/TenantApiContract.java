package org.tenantfeatures.http.v3;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;

/**
 * What the tenant endpoints promise, run against whatever PostgreSQL a subclass provides: the
 * embedded one here, a container where Docker exists.
 */
@ExtendWith(VertxExtension.class)
abstract class TenantApiContract {

  private static final String INCIDENT_TENANT = "550e8400-e29b-41d4-a716-446655440000";

  private String dbUri;
  private RunningService service;

  /** The server this run's databases are created on. */
  abstract TestPostgres postgres();

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    dbUri = postgres().createDatabase();
    RunningService.deploy(vertx, TestConfig.forDatabase(dbUri).build())
        .onComplete(ctx.succeeding(s -> {
          service = s;
          Seed.flags(dbUri, 12);
          Sql.execute(dbUri, "INSERT INTO tenant_features (tenant_id, feature_id, is_enabled) "
              + "SELECT '" + INCIDENT_TENANT + "', id, id % 2 = 0 FROM feature_flags WHERE id % 3 <> 0");
          ctx.completeNow();
        }));
  }

  @Test
  @DisplayName("The incident's exact curl returns the tenant's complete map, equal to the incident's direct SQL join")
  void incidentCurlReturnsTheJoin(VertxTestContext ctx) {
    JsonObject expected = Sql.expectedMap(dbUri, INCIDENT_TENANT);
    service.client().get("/api/v3/features/tenant?raw_sql=true&no_prepare=true&statement_cache_size=0")
        .putHeader("Authorization", "Bearer " + TestConfig.ALL_TENANTS_TOKEN)
        .putHeader("X-Tenant-ID", INCIDENT_TENANT)
        .send()
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
          assertThat(expected.size()).isEqualTo(12);
          assertThat(expected.getMap()).containsValue(true).containsValue(false);
          assertThat(response.bodyAsJsonObject()).isEqualTo(expected);
          // In name order, whatever order the database gave: one map, one body and ETag on every node.
          assertThat(new java.util.ArrayList<>(response.bodyAsJsonObject().fieldNames())).isSorted();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A tenant id in upper case reads the same tenant as its canonical lower-case form")
  void tenantIdsAreCaseInsensitive(VertxTestContext ctx) {
    JsonObject expected = Sql.expectedMap(dbUri, INCIDENT_TENANT);
    service.getFeatures(INCIDENT_TENANT.toUpperCase())
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.bodyAsJsonObject()).isEqualTo(expected);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A tenant without rows gets every flag, each false")
  void tenantWithoutRowsGetsEveryFlagFalse(VertxTestContext ctx) {
    service.getFeatures(UUID.randomUUID().toString())
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          JsonObject body = response.bodyAsJsonObject();
          assertThat(body.size()).isEqualTo(12);
          assertThat(body.getMap().values()).allMatch(Boolean.FALSE::equals);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A request without a token gets 401 with a problem body and a Bearer challenge")
  void missingTokenIs401(VertxTestContext ctx) {
    service.features(null, INCIDENT_TENANT).send()
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertProblem(response, 401, "/problems/unauthorized");
          assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A request with an unknown token gets 401 even when its tenant id is malformed")
  void unknownTokenIs401(VertxTestContext ctx) {
    service.features("not-a-configured-token", "garbage").send()
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertProblem(response, 401, "/problems/unauthorized");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A token scoped to one tenant gets 403 and no data for another tenant")
  void otherTenantIs403(VertxTestContext ctx) {
    service.features(TestConfig.SCOPED_TOKEN, INCIDENT_TENANT).send()
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertProblem(response, 403, "/problems/tenant-forbidden");
          assertThat(response.bodyAsString()).doesNotContain("flag_");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A token scoped to one tenant reads that tenant")
  void scopedTokenReadsItsTenant(VertxTestContext ctx) {
    service.features(TestConfig.SCOPED_TOKEN, TestConfig.SCOPED_TENANT).send()
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.bodyAsJsonObject()).isEqualTo(Sql.expectedMap(dbUri, TestConfig.SCOPED_TENANT));
          ctx.completeNow();
        })));
  }

  @ParameterizedTest(name = "X-Tenant-ID \"{0}\" gets 400")
  @ValueSource(strings = {"not-a-uuid", "550e8400-e29b-41d4-a716", "1-2-3-4-5", "550e8400e29b41d4a716446655440000",
      "550e8400-e29b-41d4-a716-44665544000g", "{550e8400-e29b-41d4-a716-446655440000}", "' OR 1=1 --"})
  @DisplayName("A malformed tenant id gets 400 with a problem body")
  void malformedTenantIs400(String tenant, VertxTestContext ctx) {
    service.features(TestConfig.ALL_TENANTS_TOKEN, tenant).send()
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertProblem(response, 400, "/problems/invalid-tenant-id");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A request without X-Tenant-ID gets 400 naming the missing header")
  void missingTenantIs400(VertxTestContext ctx) {
    service.features(TestConfig.ALL_TENANTS_TOKEN, null).send()
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertProblem(response, 400, "/problems/missing-tenant-id");
          assertThat(response.bodyAsJsonObject().getString("detail")).contains("X-Tenant-ID");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A query string that is not valid percent-encoding gets 400 bad-request, not a 500")
  void undecodableQueryIs400(VertxTestContext ctx) {
    service.client().get("/api/v3/features/tenant?minRevision=%")
        .putHeader("Authorization", "Bearer " + TestConfig.ALL_TENANTS_TOKEN)
        .putHeader("X-Tenant-ID", INCIDENT_TENANT)
        .send()
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertProblem(response, 400, "/problems/bad-request");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("Unknown paths and methods get 404 and 405 problem bodies")
  void unknownRoutesAreProblems(VertxTestContext ctx) {
    service.client().get("/api/v3/nothing-here").send()
        .compose(notFound -> {
          ctx.verify(() -> assertProblem(notFound, 404, "/problems/not-found"));
          return service.client().delete("/api/v3/features/tenant").send();
        })
        .onComplete(ctx.succeeding(notAllowed -> ctx.verify(() -> {
          assertProblem(notAllowed, 405, "/problems/method-not-allowed");
          assertThat(notAllowed.getHeader("Allow")).isEqualTo("GET");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("The roles endpoint lists the tenant's roles by name, and an empty list for a tenant without roles")
  void rolesEndpoint(VertxTestContext ctx) {
    Sql.execute(dbUri, "INSERT INTO roles (tenant_id, name, description) VALUES "
        + "('" + INCIDENT_TENANT + "', 'viewer', 'Reads'), ('" + INCIDENT_TENANT + "', 'admin', 'Everything')");
    service.client().get("/api/v3/rbac/roles")
        .putHeader("Authorization", "Bearer " + TestConfig.ALL_TENANTS_TOKEN)
        .putHeader("X-Tenant-ID", INCIDENT_TENANT)
        .send()
        .compose(withRoles -> {
          ctx.verify(() -> {
            assertThat(withRoles.statusCode()).isEqualTo(200);
            assertThat(withRoles.bodyAsJsonArray()).isEqualTo(new JsonArray()
                .add(new JsonObject().put("name", "admin").put("description", "Everything"))
                .add(new JsonObject().put("name", "viewer").put("description", "Reads")));
          });
          return service.client().get("/api/v3/rbac/roles")
              .putHeader("Authorization", "Bearer " + TestConfig.SCOPED_TOKEN)
              .putHeader("X-Tenant-ID", TestConfig.SCOPED_TENANT)
              .send();
        })
        .onComplete(ctx.succeeding(none -> ctx.verify(() -> {
          assertThat(none.statusCode()).isEqualTo(200);
          assertThat(none.bodyAsJsonArray()).isEmpty();
          ctx.completeNow();
        })));
  }

  static void assertProblem(HttpResponse<Buffer> response, int status, String type) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("type")).isEqualTo(type);
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("title")).isNotBlank();
    assertThat(body.getString("detail")).isNotBlank();
  }
}
