package org.tenantfeatures.http.ops;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The service's OpenAPI document ({@code docs/openapi.yaml}, which the build puts in the jar),
 * served as it is at {@link Routes#OPENAPI} for code generators and API explorers. Read once into
 * memory: a request never touches the disk. It names paths and shapes, no secret, so it is public
 * like the health probes.
 */
public final class ApiDocument {

  private static final String RESOURCE = "docs/openapi.yaml";

  private final Buffer document;

  private ApiDocument(Buffer document) {
    this.document = document;
  }

  public static ApiDocument fromJar() {
    try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not in the jar (the build copies it from docs/)");
      }
      return new ApiDocument(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void send(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8")
        .putHeader("Cache-Control", "public, max-age=300")
        .end(document);
  }
}
