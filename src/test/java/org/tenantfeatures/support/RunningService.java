package org.tenantfeatures.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.tenantfeatures.boot.Deployment;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.http.Routes;

/** The whole service deployed on a test's Vert.x, with an HTTP client pointed at it. */
public record RunningService(AppConfig config, WebClient client, Deployment deployment) {

  public static Future<RunningService> deploy(Vertx vertx, AppConfig config) {
    return deploy(vertx, config, 8);
  }

  public static Future<RunningService> deploy(Vertx vertx, AppConfig config, int connections) {
    WebClient client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1")
        .setDefaultPort(config.http().port())
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections));
    return Deployment.deploy(vertx, config).map(deployment -> new RunningService(config, client, deployment));
  }

  /** A request to the service with a caller's bearer token and tenant header, each left out when null. */
  public HttpRequest<Buffer> request(HttpMethod method, String path, String token, String tenantId) {
    HttpRequest<Buffer> request = client.request(method, path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    if (tenantId != null) {
      request.putHeader("X-Tenant-ID", tenantId);
    }
    return request;
  }

  /** The incident's request: bearer token, tenant header, and its stray query parameters. */
  public HttpRequest<Buffer> features(String token, String tenantId) {
    return request(HttpMethod.GET, Routes.FEATURES, token, tenantId)
        .addQueryParam("raw_sql", "true")
        .addQueryParam("no_prepare", "true")
        .addQueryParam("statement_cache_size", "0");
  }

  public Future<HttpResponse<Buffer>> getFeatures(String tenant) {
    return features(TestConfig.ALL_TENANTS_TOKEN, tenant).send();
  }
}
