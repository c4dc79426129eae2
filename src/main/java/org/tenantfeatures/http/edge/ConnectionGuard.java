package org.tenantfeatures.http.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.config.AppConfig;

/**
 * Every new HTTP connection of a node passes here first: beyond {@code http.maxConnections} open
 * ones it is closed at once (counted in {@code tenant_features_connections_refused_total}); an
 * HTTP/1.x connection gets the {@link StrictRequestDecoder} in place of Vert.x's own. One guard
 * serves all HTTP verticle instances of a node, so the cap is the node's.
 *
 * <p>Replacing the decoder reaches into Vert.x's pipeline ({@code ConnectionBase.channel()} and
 * its handler named {@code httpDecoder}): Vert.x has no option for either guard. The connection
 * handler runs as the pipeline is set up, before the first byte is read, so the decoder replaced
 * has decoded nothing yet.
 */
public final class ConnectionGuard {

  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final String DECODER = "httpDecoder";

  private final AppConfig.Limits limits;
  private final AtomicInteger open = new AtomicInteger();

  public ConnectionGuard(AppConfig.Limits limits) {
    this.limits = limits;
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
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder) {
        pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options, limits.headerTimeoutMs()));
      }
    }
  }

  private static void refused() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      Counter.builder("tenant_features_connections_refused")
          .description("Connections closed at once because http.maxConnections were open")
          .register(registry)
          .increment();
    }
  }
}
