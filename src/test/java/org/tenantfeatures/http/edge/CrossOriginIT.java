package org.tenantfeatures.http.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.support.NodeScript;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;

/**
 * Browsers on other origins ({@code auth.cors.allowedOrigins}): the headers a browser checks, asked
 * as a browser asks, then the OFREP web provider itself in Chromium on a page of an allowed origin
 * and on one of another origin ({@code src/test/js/cross-origin.mjs}).
 */
@DisplayName("Cross-origin browsers (CORS)")
class CrossOriginIT {

  private static final Logger log = LoggerFactory.getLogger(CrossOriginIT.class);
  private static final String TOKEN = "test-token-cors-writer";

  private final int pagePort = TestConfig.freePort();
  private final int otherPort = TestConfig.freePort();
  private final String allowed = "http://127.0.0.1:" + pagePort;
  private Vertx vertx;
  private String dbUri;
  private RunningService service;

  @BeforeEach
  void deploy() throws Exception {
    dbUri = TestPostgres.shared().createDatabase();
    vertx = Vertx.vertx();
    TestConfig config = TestConfig.forDatabase(dbUri).with("auth.cors.allowedOrigins", new JsonArray().add(allowed));
    config.withToken("cors-writer", TOKEN, "read", "write");
    service = await(RunningService.deploy(vertx, config.build()));
    Seed.flags(dbUri, 5);
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private HttpResponse<Buffer> send(HttpRequest<Buffer> request) throws Exception {
    return await(request.send());
  }

  private HttpRequest<Buffer> preflight(String origin) {
    return service.client().request(HttpMethod.OPTIONS, "/ofrep/v1/evaluate/flags").putHeader("Origin", origin)
        .putHeader("Access-Control-Request-Method", "POST").putHeader("Access-Control-Request-Headers", "authorization,content-type");
  }

  @Test
  @DisplayName("An allowed origin's preflight and requests get the headers a browser needs, never credentials; another origin's "
      + "preflight is a problem and its requests get no CORS headers; the service's own origin needs none")
  void headers() throws Exception {
    HttpResponse<Buffer> ok = send(preflight(allowed));
    assertThat(ok.statusCode()).isEqualTo(204);
    assertThat(ok.getHeader("Access-Control-Allow-Origin")).isEqualTo(allowed);
    assertThat(ok.getHeader("Access-Control-Allow-Methods")).contains("POST");
    assertThat(ok.getHeader("Access-Control-Allow-Headers").toLowerCase()).contains("authorization", "content-type", "x-tenant-id");
    assertThat(ok.getHeader("Access-Control-Allow-Credentials")).as("never with cookies").isNull();
    assertThat(ok.getHeader("Access-Control-Max-Age")).isEqualTo("600");

    String tenant = Seed.tenantWithData(dbUri);
    HttpResponse<Buffer> read = send(service.request(HttpMethod.GET, "/api/v3/features/tenant", TOKEN, tenant).putHeader("Origin", allowed));
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.getHeader("Access-Control-Allow-Origin")).isEqualTo(allowed);
    assertThat(read.getHeader("Access-Control-Expose-Headers")).contains("ETag", "Retry-After");

    HttpResponse<Buffer> refused = send(preflight("http://evil.example"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.bodyAsJsonObject().getString("type")).isEqualTo("/problems/cors-origin-refused");
    assertThat(refused.getHeader("Access-Control-Allow-Origin")).isNull();

    HttpResponse<Buffer> unreadable = send(service.request(HttpMethod.GET, "/api/v3/features/tenant", TOKEN, tenant)
        .putHeader("Origin", "http://evil.example"));
    assertThat(unreadable.statusCode()).as("served: only a browser enforces CORS").isEqualTo(200);
    assertThat(unreadable.getHeader("Access-Control-Allow-Origin")).isNull();

    String own = "http://127.0.0.1:" + service.config().http().port();
    HttpResponse<Buffer> console = await(service.request(HttpMethod.PUT, "/api/v3/features/tenant/flag_001", TOKEN, tenant)
        .putHeader("Origin", own).sendJsonObject(new JsonObject().put("enabled", true)));
    assertThat(console.statusCode()).as("the console's own write, which carries Origin").isEqualTo(200);
    assertThat(console.getHeader("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  @DisplayName("The OFREP web provider in Chromium evaluates from a page of an allowed origin, its change stream too, and "
      + "reads nothing from a page of another origin")
  void webProviderOnAnotherOrigin() throws Exception {
    String tenant = Seed.tenantWithData(dbUri);
    boolean value = Sql.expectedMap(dbUri, tenant).getBoolean("flag_002");
    Map<String, String> env = new HashMap<>();
    env.put("TF_URL", "http://127.0.0.1:" + service.config().http().port());
    env.put("TF_TOKEN", TOKEN);
    env.put("TF_TENANT", tenant);
    env.put("TF_FLAG", "flag_002");
    env.put("TF_EXPECTED", Boolean.toString(value));
    env.put("TF_PAGE_PORT", Integer.toString(pagePort));
    env.put("TF_OTHER_PORT", Integer.toString(otherPort));
    JsonObject summary = NodeScript.run("cross-origin.mjs", env, 120);
    log.info("Cross-origin web provider: {}", summary.encode());
    assertThat(summary.getJsonObject("allowed").getBoolean("value")).isEqualTo(value);
    assertThat(summary.getJsonObject("other").getBoolean("ready")).isFalse();
    assertThat(summary.getLong("changeMs")).as("a write seen by the page through its stream, ms").isLessThanOrEqualTo(1_000);
  }
}
