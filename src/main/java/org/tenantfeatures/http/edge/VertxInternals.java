package org.tenantfeatures.http.edge;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Every use of Vert.x's internal API outside {@link StrictRequestDecoder} (which extends one of
 * its classes), in one place: an upgrade may change any of them without notice, and
 * {@code VertxInternalsTest} fails when it does. Each is here because the public API has no
 * equivalent; each says what it would cost to do without.
 */
public final class VertxInternals {

  /** The name Vert.x gives the HTTP/1.x request decoder in a connection's pipeline. */
  static final String DECODER = "httpDecoder";

  private VertxInternals() {
  }

  /**
   * A buffer over the first {@code length} bytes of {@code bytes}, without a copy: a cached map's
   * body is written once into an array that is never touched again ({@code Buffer.buffer(byte[])}
   * would copy it).
   */
  public static Buffer wrap(byte[] bytes, int length) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes, 0, length));
  }

  /** The buffer's bytes as a read-only view, without a copy (for a checksum over the body). */
  public static ByteBuffer view(Buffer buffer) {
    return ((BufferInternal) buffer).getByteBuf().nioBuffer();
  }

  /**
   * Sets the kernel's send buffer of the connection's socket ({@code SO_SNDBUF}; Linux doubles
   * it, and no longer grows it by itself): Vert.x sets it for every connection of a server only.
   * A change stream's connection gets a small one, so that a client that does not read fills it,
   * and then the server's bounded write queue, soon. False when the connection is not one this knows.
   */
  public static boolean setSendBuffer(HttpConnection connection, int bytes) {
    if (connection instanceof ConnectionBase base) {
      return base.channel().config().setOption(ChannelOption.SO_SNDBUF, bytes);
    }
    return false;
  }

  /**
   * Replaces the request decoder of a new HTTP/1.x connection, before it has read a byte:
   * Vert.x has no option for a header deadline or for stricter framing. False when the
   * connection is not one whose pipeline this knows (HTTP/2, or a Vert.x that changed it).
   */
  public static boolean replaceRequestDecoder(HttpConnection connection, Supplier<ChannelHandler> decoder) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder) {
        pipeline.replace(DECODER, DECODER, decoder.get());
        return true;
      }
    }
    return false;
  }
}
