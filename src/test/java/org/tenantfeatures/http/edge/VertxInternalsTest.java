package org.tenantfeatures.http.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Each reach into Vert.x's internals still does what the service relies on: this fails first when an upgrade changes one. */
class VertxInternalsTest {

  @Test
  @DisplayName("A wrapped array is the buffer's content without a copy, and its view reads the same bytes")
  void wrapWithoutCopy() {
    byte[] bytes = "{\"a\":true}xx".getBytes(StandardCharsets.US_ASCII);
    Buffer buffer = VertxInternals.wrap(bytes, 10);
    assertThat(buffer.toString()).isEqualTo("{\"a\":true}");
    bytes[2] = 'b';
    assertThat(buffer.toString()).as("the buffer shares the array").isEqualTo("{\"b\":true}");
    ByteBuffer view = VertxInternals.view(buffer);
    byte[] read = new byte[view.remaining()];
    view.get(read);
    assertThat(new String(read, StandardCharsets.US_ASCII)).isEqualTo("{\"b\":true}");
  }

  @Test
  @DisplayName("A new HTTP/1.1 connection's request decoder is found under its name and replaced before the first request")
  void requestDecoderReplaced() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<Boolean> replaced = new CompletableFuture<>();
      ChannelHandler passThrough = new ChannelInboundHandlerAdapter();
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .connectionHandler(connection -> replaced.complete(VertxInternals.replaceRequestDecoder(connection, () -> passThrough)))
          .requestHandler(request -> request.response().end("ok"));
      await(server.listen());
      HttpClientAgent client = vertx.createHttpClient();
      // The pass-through handler decodes nothing: the request is not answered, and only the replacement matters here.
      client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.actualPort()).setURI("/"))
          .compose(request -> request.send());
      assertThat(replaced.get(10, TimeUnit.SECONDS)).as("the decoder named '" + VertxInternals.DECODER + "' was Vert.x's").isTrue();
    } finally {
      await(vertx.close());
    }
  }

  @Test
  @DisplayName("A request's connection takes a send buffer size for its socket")
  void sendBufferSet() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<Boolean> set = new CompletableFuture<>();
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .requestHandler(request -> {
            set.complete(VertxInternals.setSendBuffer(request.connection(), 4096));
            request.response().end("ok");
          });
      await(server.listen());
      HttpClientAgent client = vertx.createHttpClient();
      client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.actualPort()).setURI("/"))
          .compose(request -> request.send());
      assertThat(set.get(10, TimeUnit.SECONDS)).as("SO_SNDBUF set on the connection's channel").isTrue();
    } finally {
      await(vertx.close());
    }
  }
}
