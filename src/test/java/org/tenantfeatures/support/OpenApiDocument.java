package org.tenantfeatures.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docs/openapi.yaml}, read by Vert.x OpenAPI (which also checks that it is a valid OpenAPI
 * 3.1 document), to hold the service's answers against it.
 *
 * <p>Vert.x OpenAPI 5.0 refuses a contract with media types other than a handful, and
 * {@code application/problem+json} (RFC 9457) is not among them. The document says what the
 * service sends; this class hands Vert.x a copy that says {@code application/json} instead, and
 * checks the real Content-Type of every problem itself.
 */
public final class OpenApiDocument {

  public static final Path FILE = Path.of("docs/openapi.yaml");
  private static final String PROBLEM = "application/problem+json";

  private final OpenAPIContract contract;
  private final ResponseValidator validator;

  private OpenApiDocument(OpenAPIContract contract, ResponseValidator validator) {
    this.contract = contract;
    this.validator = validator;
  }

  public static OpenApiDocument load(Vertx vertx) throws Exception {
    String text;
    try {
      // text/event-stream is not among Vert.x OpenAPI's media types either; streams are checked by their own tests.
      text = Files.readString(FILE).replace(PROBLEM, "application/json").replace("text/event-stream", "text/plain");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> tree = new Yaml().load(text);
    OpenAPIContract contract = await(OpenAPIContract.from(vertx, new JsonObject(tree)));
    return new OpenApiDocument(contract, ResponseValidator.create(vertx, contract));
  }

  /** Every operation as {@code "METHOD /path/{param}"}. */
  public Set<String> operations() {
    Set<String> operations = new TreeSet<>();
    for (Operation operation : contract.operations()) {
      operations.add(operation.getHttpMethod().name() + " " + operation.getOpenAPIPath());
    }
    return operations;
  }

  /**
   * Fails unless the document has an operation for {@code method} and {@code path} (a query
   * string is ignored) whose responses include this one's status, with a body and headers that
   * match their schemas.
   */
  public void check(HttpMethod method, String path, HttpResponse<Buffer> response) throws Exception {
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    Operation operation = contract.findOperation(bare, method);
    assertThat(operation).as("docs/openapi.yaml: an operation for %s %s", method, bare).isNotNull();
    String contentType = response.getHeader("Content-Type");
    if (response.statusCode() >= 400 && !bare.startsWith("/ofrep/")) {
      assertThat(contentType).as("docs/openapi.yaml: a problem's Content-Type, %s %s", method, bare).isEqualTo(PROBLEM);
      contentType = "application/json";
    } else if (PROBLEM.equals(contentType)) {
      // An OFREP route's 401/403/413/415 come from the shared checks, as problems.
      contentType = "application/json";
    } else if (contentType != null) {
      // The validator knows a media type by its bare name only (and "; charset=utf-8" of two):
      // Vert.x's health checks send "application/json;charset=UTF-8", Prometheus "text/plain;
      // version=0.0.4; charset=utf-8". The parameters are not part of the contract.
      contentType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }
    Map<String, String> headers = new HashMap<>();
    response.headers().forEach(header -> headers.putIfAbsent(header.getKey(), header.getValue()));
    Buffer body = response.body();
    ValidatableResponse answer = body == null || body.length() == 0
        ? ValidatableResponse.create(response.statusCode(), headers)
        : ValidatableResponse.create(response.statusCode(), headers, body, contentType);
    try {
      await(validator.validate(answer, operation.getOperationId()));
    } catch (Exception | AssertionError e) {
      throw new AssertionError("docs/openapi.yaml: " + method + " " + path + " answered " + response.statusCode() + " "
          + response.bodyAsString() + " (" + contentType + "), which " + operation.getOperationId() + " does not describe: " + e.getMessage(), e);
    }
  }
}
