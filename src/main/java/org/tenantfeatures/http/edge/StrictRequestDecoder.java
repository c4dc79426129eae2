package org.tenantfeatures.http.edge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x's HTTP/1.x request decoder with the guards neither Vert.x nor Netty offers as an
 * option:
 *
 * <ul>
 *   <li><b>More than one {@code Host} header</b> is refused (RFC 9112 §3.2 says 400): Netty keeps
 *       both, and a proxy in front may have routed by the other one. Answered and closed as
 *       ambiguous framing is.</li>
 *   <li><b>Framing a proxy could read differently</b> is refused (RFC 9112 §6.1, §6.3): both
 *       {@code Content-Length} and {@code Transfer-Encoding} (Netty would silently drop the
 *       length and read chunks), a {@code Transfer-Encoding} other than exactly {@code chunked}
 *       (Netty would read no body, and serve the body's bytes as a second request), and any
 *       {@code Transfer-Encoding} in an HTTP/1.0 request. The decoder marks such a request
 *       invalid and discards the rest of the connection's bytes; the server answers 400 and
 *       closes it ({@code HttpVerticle.invalidRequest}).</li>
 *   <li><b>A request head must arrive whole within {@code headerTimeoutMs}</b> of its first byte,
 *       or the connection is closed: an idle timeout alone never fires while a client trickles
 *       one byte every few seconds. Waiting for the first byte of the next request on a
 *       keep-alive connection is the idle timeout's business.</li>
 * </ul>
 *
 * One instance per connection, used on its event loop only.
 */
public final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  private static final Logger log = LoggerFactory.getLogger(StrictRequestDecoder.class);

  /** Thrown from inside the decoder, which turns it into an invalid request (its message is logged, never sent). */
  public static final class FramingException extends IllegalArgumentException {
    FramingException(String message) {
      super(message);
    }
  }

  private final long headerTimeoutMs;
  private ScheduledFuture<?> headerDeadline;
  /** Between a request head and the end of its body: bytes now are body, not a new head. */
  private boolean inBody;

  StrictRequestDecoder(HttpServerOptions options, long headerTimeoutMs) {
    super(options);
    this.headerTimeoutMs = headerTimeoutMs;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (!inBody && headerDeadline == null && in.isReadable()) {
      headerDeadline = ctx.executor().schedule(() -> {
        log.debug("Closing {}: request headers not complete within {} ms", ctx.channel().remoteAddress(), headerTimeoutMs);
        ctx.channel().close();
      }, headerTimeoutMs, TimeUnit.MILLISECONDS);
    }
    int from = out.size();
    super.decode(ctx, in, out);
    for (int i = from; i < out.size(); i++) {
      Object decoded = out.get(i);
      if (decoded instanceof HttpMessage) {
        cancelDeadline();
        inBody = true;
      }
      if (decoded instanceof LastHttpContent) {
        inBody = false;
      }
    }
  }

  /** Thrown from inside the decoder for a request with more than one {@code Host} header (RFC 9112 §3.2). */
  public static final class AmbiguousHostException extends IllegalArgumentException {
    AmbiguousHostException() {
      super("more than one Host header");
    }
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage message) {
    HttpHeaders headers = message.headers();
    Iterator<String> hosts = headers.valueStringIterator(HttpHeaderNames.HOST);
    if (hosts.hasNext()) {
      hosts.next();
      if (hosts.hasNext()) {
        throw new AmbiguousHostException();
      }
    }
    List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!codings.isEmpty()) {
      if (!HttpVersion.HTTP_1_1.equals(message.protocolVersion())) {
        throw new FramingException("Transfer-Encoding in an " + message.protocolVersion() + " request");
      }
      if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        throw new FramingException("both Content-Length and Transfer-Encoding");
      }
      if (codings.size() != 1 || !codings.get(0).trim().equalsIgnoreCase("chunked")) {
        throw new FramingException("a Transfer-Encoding other than chunked");
      }
    }
    return super.isContentAlwaysEmpty(message);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    cancelDeadline();
    super.handlerRemoved0(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    try {
      super.channelInactive(ctx); // decodes what is left, which may start a deadline
    } finally {
      cancelDeadline();
    }
  }

  private void cancelDeadline() {
    if (headerDeadline != null) {
      headerDeadline.cancel(false);
      headerDeadline = null;
    }
  }
}
