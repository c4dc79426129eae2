package org.tenantfeatures.client;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Hands a reply to a requester in the same JVM without copying it. The event bus's own codec
 * deep-copies every JsonObject it delivers locally, so that sender and receiver never share a
 * mutable object; a tenant map's reply was copied entry by entry on every uncached read
 * (docs/BENCHMARKS.md, "Figures behind the code"). The database side builds each reply for one requester and never
 * touches it after replying, so handing over the object itself is safe. Used only for requests
 * that came to {@link FeatureBus#DB_LOCAL_ADDRESS}, which only this
 * JVM can reach; replies across the cluster keep the standard codec, which other nodes know.
 */
final class LocalReplyCodec implements MessageCodec<JsonObject, JsonObject> {

  static final String NAME = "tenant-features-local-reply";

  private LocalReplyCodec() {
  }

  /** Registers the codec on this Vert.x once (several database verticles may share one in tests). */
  static void registerOn(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new LocalReplyCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // registered by another database verticle of this Vert.x: the same codec
    }
  }

  @Override
  public JsonObject transform(JsonObject reply) {
    return reply;
  }

  // Never sent across the cluster (see the class comment); encoded as the standard codec would be, should that change.
  @Override
  public void encodeToWire(Buffer buffer, JsonObject reply) {
    Buffer encoded = reply.toBuffer();
    buffer.appendInt(encoded.length());
    buffer.appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return new JsonObject(buffer.slice(pos + 4, pos + 4 + length));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
