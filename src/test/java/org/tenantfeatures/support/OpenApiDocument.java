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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
public record OpenApiDocument(Path file, OpenAPIContract contract, ResponseValidator validator) {

  public static final Path FILE = Path.of("docs/openapi.yaml");
  /** The OFREP protocol's own document, vendored with its licence (see its README). */
  public static final Path PROTOCOL = Path.of("src/test/resources/ofrep/openapi.yaml");
  private static final String PROBLEM = "application/problem+json";

  /** {@code docs/openapi.yaml}. */
  public static OpenApiDocument load(Vertx vertx) throws Exception {
    return load(vertx, FILE);
  }

  /** The OFREP protocol's {@code service/openapi.yaml}, which describes the two evaluation endpoints only. */
  public static OpenApiDocument protocol(Vertx vertx) throws Exception {
    return load(vertx, PROTOCOL);
  }

  private static OpenApiDocument load(Vertx vertx, Path file) throws Exception {
    String text;
    try {
      // text/event-stream and application/yaml are not among Vert.x OpenAPI's media types either;
      // streams are checked by their own tests, and the served document is compared with the file.
      text = Files.readString(file).replace(PROBLEM, "application/json").replace("text/event-stream", "text/plain")
          .replace("application/yaml", "text/plain");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> tree = new Yaml().load(text);
    // Vert.x OpenAPI takes only absolute server URLs; both documents say "/" (the service answers
    // wherever it is deployed), and the paths alone are what an answer is checked by.
    tree.remove("servers");
    if (file.equals(PROTOCOL)) {
      withoutParameters(tree);
      codeDefaultWithoutValue(tree);
    }
    OpenAPIContract contract = await(OpenAPIContract.from(vertx, new JsonObject(tree)));
    return new OpenApiDocument(file, contract, ResponseValidator.create(vertx, contract));
  }

  /**
   * Vert.x OpenAPI refuses a parameter or header whose schema has no {@code type}, and the
   * protocol's document has two, each a {@code oneOf} of an integer and a date-time: the query
   * parameter {@code flagConfigLastModified} (dropped with every request parameter: only answers
   * are checked against this document) and the bulk 429's {@code Retry-After} (made a plain
   * string here; {@code DatabaseOutageIT} checks the 429's Retry-After of the OFREP route itself).
   */
  @SuppressWarnings("unchecked")
  private static void withoutParameters(Map<String, Object> tree) {
    ((Map<String, Object>) tree.getOrDefault("components", Map.of())).remove("parameters");
    for (Object item : ((Map<String, Object>) tree.get("paths")).values()) {
      Map<String, Object> pathItem = (Map<String, Object>) item;
      pathItem.remove("parameters");
      for (Object value : pathItem.values()) {
        if (value instanceof Map<?, ?> operation) {
          ((Map<String, Object>) operation).remove("parameters");
          ((Map<String, Object>) operation.get("responses")).values().forEach(response -> {
            Object headers = ((Map<String, Object>) response).get("headers");
            if (headers instanceof Map<?, ?> byName) {
              byName.values().forEach(header -> ((Map<String, Object>) header).computeIfPresent("schema",
                  (k, schema) -> ((Map<String, Object>) schema).containsKey("type") ? schema : new HashMap<>(Map.of("type", "string"))));
            }
          });
        }
      }
    }
  }

  /**
   * OFREP 0.3.0's {@code codeDefaultFlag} is {@code {type: object, properties: {}}}, which every
   * flag object matches, so that under the {@code oneOf} of value types in
   * {@code evaluationSuccess} no flag with a value can be valid (a boolean flag matches both
   * {@code booleanFlag} and {@code codeDefaultFlag}). Its description says what was meant, "this
   * schema has no {@code value} property"; the copy says so in JSON Schema, and the value types
   * keep their full strength.
   */
  @SuppressWarnings("unchecked")
  private static void codeDefaultWithoutValue(Map<String, Object> tree) {
    Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) tree.get("components")).get("schemas");
    ((Map<String, Object>) schemas.get("codeDefaultFlag")).put("not", new HashMap<>(Map.of("required", new ArrayList<>(List.of("value")))));
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
    assertThat(operation).as("%s: an operation for %s %s", file, method, bare).isNotNull();
    String contentType = response.getHeader("Content-Type");
    if (response.statusCode() >= 400 && !bare.startsWith("/ofrep/")) {
      assertThat(contentType).as("%s: a problem's Content-Type, %s %s", file, method, bare).isEqualTo(PROBLEM);
      contentType = "application/json";
    } else if (PROBLEM.equals(contentType)) {
      // An OFREP route's 401/403/413/415 come from the shared checks, as problems.
      contentType = "application/json";
    } else if (contentType != null) {
      // The validator knows a media type by its bare name only (and "; charset=utf-8" of two):
      // Vert.x's health checks send "application/json;charset=UTF-8", Prometheus "text/plain;
      // version=0.0.4; charset=utf-8". The parameters are not part of the contract.
      contentType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
      contentType = contentType.equals("application/yaml") ? "text/plain" : contentType;
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
      throw new AssertionError(file + ": " + method + " " + path + " answered " + response.statusCode() + " "
          + response.bodyAsString() + " (" + contentType + "), which " + operation.getOperationId() + " does not describe: " + e.getMessage(), e);
    }
  }
}
