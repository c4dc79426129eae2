package org.tenantfeatures.http.edge;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.telemetry.Telemetry;

/**
 * Every new HTTP connection of a node passes here first: beyond {@code http.maxConnections} open
 * ones it is closed at once (counted in {@code tenant_features_connections_refused_total}); an
 * HTTP/1.x connection gets the {@link StrictRequestDecoder} in place of Vert.x's own. One guard
 * serves all HTTP verticle instances of a node, so the cap is the node's.
 *
 * <p>Replacing the decoder reaches into Vert.x's pipeline ({@link VertxInternals}): Vert.x has no
 * option for either guard. The connection
 * handler runs as the pipeline is set up, before the first byte is read, so the decoder replaced
 * has decoded nothing yet.
 */
public final class ConnectionGuard {

  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
  private final AppConfig.Limits limits;
  private final AtomicInteger open = new AtomicInteger();
  private final Telemetry telemetry;

  public ConnectionGuard(AppConfig.Limits limits, Telemetry telemetry) {
    this.limits = limits;
    this.telemetry = telemetry;
  }

  /** Connections open now on this node. */
  public int open() {
    return open.get();
  }

  public void accept(HttpConnection connection, HttpServerOptions options) {
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      refused();
      log.debug("Closing a connection from {}: {} open already (http.maxConnections)", connection.remoteAddress(),
          limits.maxConnections());
      connection.close();
      return;
    }
    connection.closeHandler(v -> open.decrementAndGet());
    VertxInternals.replaceRequestDecoder(connection, () -> new StrictRequestDecoder(options, limits.headerTimeoutMs()));
  }

  private void refused() {
    telemetry.registry().ifPresent(registry -> Counter.builder("tenant_features_connections_refused")
        .description("Connections closed at once because http.maxConnections were open")
        .register(registry)
        .increment());
  }
}
