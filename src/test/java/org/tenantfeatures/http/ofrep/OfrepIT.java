package org.tenantfeatures.http.ofrep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.http.Routes;
import org.tenantfeatures.support.OpenApiDocument;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.ServiceUnderTest;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestConfig;

/**
 * The OFREP endpoints with a real OpenFeature client (the Java SDK and the contrib OFREP
 * provider), and every answer held against {@code docs/openapi.yaml}: values equal to the
 * database's map, the reason telling an override from the default, a missing flag getting the
 * caller's code default, the v3 read's ETag and 304, and the protocol's error shapes.
 */
@DisplayName("OpenFeature Remote Evaluation Protocol")
class OfrepIT {

  private static final String TOKEN = TestConfig.ALL_TENANTS_TOKEN;

  private static ServiceUnderTest node;
  private static OpenApiDocument document;
  /** The protocol's own schemas (OFREP 0.3.0's service/openapi.yaml), besides ours. */
  private static OpenApiDocument protocol;
  private static String tenant;

  @BeforeAll
  static void deploy() throws Exception {
    node = ServiceUnderTest.start(8, c -> c.with("cache.ttlMs", 60_000));
    Seed.flags(node.dbUri(), 5);
    tenant = Seed.tenantWithData(node.dbUri());
    document = OpenApiDocument.load(node.vertx());
    protocol = OpenApiDocument.protocol(node.vertx());
  }

  @AfterAll
  static void close() throws Exception {
    OpenFeatureAPI.getInstance().shutdown();
    node.close();
  }

  private HttpResponse<Buffer> post(String path, JsonObject body, String... headers) throws Exception {
    HttpRequest<Buffer> request = node.service().client().request(HttpMethod.POST, path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    HttpResponse<Buffer> response = await(request.sendJsonObject(body));
    document.check(HttpMethod.POST, path, response);
    protocol.check(HttpMethod.POST, path, response);
    return response;
  }

  private static JsonObject context(Object targetingKey) {
    return new JsonObject().put("context", new JsonObject().put("targetingKey", targetingKey).put("plan", "anything"));
  }

  @Test
  @DisplayName("The Java OpenFeature SDK with the OFREP provider reads the tenant's flags; a missing flag gets its code default")
  void javaProvider() throws Exception {
    OfrepProvider provider = OfrepProvider.constructProvider(OfrepProviderOptions.builder()
        .baseUrl("http://127.0.0.1:" + node.service().config().http().port())
        .headers(ImmutableMap.of("Authorization", ImmutableList.of("Bearer " + TOKEN)))
        .build());
    String domain = "ofrep-it-" + UUID.randomUUID();
    OpenFeatureAPI.getInstance().setProviderAndWait(domain, provider);
    Client client = OpenFeatureAPI.getInstance().getClient(domain);
    ImmutableContext context = new ImmutableContext(tenant);

    JsonObject expected = Sql.expectedMap(node.dbUri(), tenant);
    assertThat(expected.fieldNames()).hasSize(5);
    for (String flag : expected.fieldNames()) {
      FlagEvaluationDetails<Boolean> details = client.getBooleanDetails(flag, !expected.getBoolean(flag), context);
      assertThat(details.getErrorCode()).as("%s: %s", flag, details.getErrorMessage()).isNull();
      assertThat(details.getValue()).as(flag).isEqualTo(expected.getBoolean(flag));
      assertThat(details.getVariant()).isEqualTo(expected.getBoolean(flag) ? "on" : "off");
    }
    FlagEvaluationDetails<Boolean> missing = client.getBooleanDetails("no_such_flag", true, context);
    assertThat(missing.getValue()).as("a missing flag's code default").isTrue();
    assertThat(missing.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
  }

  @Test
  @DisplayName("Bulk: every flag with its reason and metadata, the v3 read's ETag, and 304 for it")
  void bulk() throws Exception {
    HttpResponse<Buffer> answer = post(Routes.OFREP_FLAGS, context(tenant.toUpperCase()), "Authorization", "Bearer " + TOKEN);
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    JsonObject expected = Sql.expectedMap(node.dbUri(), tenant);
    JsonObject values = new JsonObject();
    answer.bodyAsJsonObject().getJsonArray("flags").forEach(f -> {
      JsonObject flag = (JsonObject) f;
      values.put(flag.getString("key"), flag.getBoolean("value"));
      boolean overridden = flag.getJsonObject("metadata").getBoolean("overridden");
      assertThat(flag.getString("reason")).isEqualTo(overridden ? "TARGETING_MATCH" : "STATIC");
    });
    assertThat(values).as("the bulk answer against the database's map").isEqualTo(expected);
    String etag = answer.getHeader("ETag");
    assertThat(etag).as("the same ETag as the v3 read").isEqualTo(await(node.service().getFeatures(tenant)).getHeader("ETag"));

    HttpResponse<Buffer> again = post(Routes.OFREP_FLAGS, context(tenant), "Authorization", "Bearer " + TOKEN, "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isNull();

    HttpResponse<Buffer> byApiKey = post(Routes.OFREP_FLAGS, context(tenant), "X-API-Key", TOKEN);
    assertThat(byApiKey.statusCode()).as("X-API-Key instead of a bearer token").isEqualTo(200);
  }

  @Test
  @DisplayName("Errors in the protocol's shapes: parse error, no context, no targeting key, not a tenant, unknown flag, a header naming another tenant")
  void errors() throws Exception {
    String bearer = "Bearer " + TOKEN;
    HttpResponse<Buffer> notJson = await(node.service().client().request(HttpMethod.POST, Routes.OFREP_FLAGS)
        .putHeader("Authorization", bearer).putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"context\":")));
    document.check(HttpMethod.POST, Routes.OFREP_FLAGS, notJson);
    protocol.check(HttpMethod.POST, Routes.OFREP_FLAGS, notJson);
    assertError(notJson, 400, "PARSE_ERROR");
    assertError(post(Routes.OFREP_FLAGS, new JsonObject(), "Authorization", bearer), 400, "INVALID_CONTEXT");
    assertError(post(Routes.OFREP_FLAGS, new JsonObject().put("context", new JsonObject()), "Authorization", bearer), 400,
        "TARGETING_KEY_MISSING");
    assertError(post(Routes.OFREP_FLAGS, context("user-123"), "Authorization", bearer), 400, "INVALID_CONTEXT");
    assertError(post(Routes.OFREP_FLAGS, context(tenant), "Authorization", bearer, "X-Tenant-ID", UUID.randomUUID().toString()),
        400, "INVALID_CONTEXT");
    HttpResponse<Buffer> unknown = post(Routes.OFREP_FLAGS + "/no_such_flag", context(tenant), "Authorization", bearer);
    assertError(unknown, 404, "FLAG_NOT_FOUND");
    assertThat(unknown.bodyAsJsonObject().getString("key")).isEqualTo("no_such_flag");
  }

  @Test
  @DisplayName("The token's scope applies to the targeting key exactly as to X-Tenant-ID")
  void scope() throws Exception {
    assertThat(post(Routes.OFREP_FLAGS, context(tenant)).statusCode()).as("no token").isEqualTo(401);
    HttpResponse<Buffer> other = post(Routes.OFREP_FLAGS, context(tenant), "Authorization", "Bearer " + TestConfig.SCOPED_TOKEN);
    assertThat(other.statusCode()).as("a tenant outside the token's scope").isEqualTo(403);
    assertThat(other.bodyAsString()).doesNotContain("flag_");
    HttpResponse<Buffer> own = post(Routes.OFREP_FLAGS, context(TestConfig.SCOPED_TENANT),
        "Authorization", "Bearer " + TestConfig.SCOPED_TOKEN);
    assertThat(own.statusCode()).as("the token's own tenant").isEqualTo(200);
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String errorCode) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getString("errorCode")).isEqualTo(errorCode);
    assertThat(response.bodyAsJsonObject().getString("errorDetails")).isNotBlank();
  }
}
