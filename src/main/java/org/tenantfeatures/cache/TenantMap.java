package org.tenantfeatures.cache;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * One tenant's complete feature map as read by one statement, the flags the tenant overrides, its revision, its response body
 * encoded once (cache hits cost no serialisation) with the body's ETag, and the moment (nanoTime)
 * the read completed. Treated as immutable.
 */
public record TenantMap(String tenantId, JsonObject features, Set<String> overridden, long revision, Buffer body, String etag,
                        long readAtNanos) {

  private static final JsonFactory JSON = new JsonFactory();

  public static TenantMap of(String tenantId, JsonObject features, Collection<String> overridden, long revision) {
    Buffer body = body(features);
    boolean shared = namesShared(features);
    // Set.of over the array: Set.copyOf built a HashSet of the names first, 7 % of the bytes an
    // uncached read allocated. The names of one read are distinct (one row per flag).
    Set<String> overriddenNames = shared ? Set.of(overridden.toArray(String[]::new))
        : overridden.stream().map(String::intern).collect(Collectors.toUnmodifiableSet());
    return new TenantMap(tenantId, shared ? features : withSharedNames(features), overriddenNames, revision, body,
        etag(revision, body), System.nanoTime());
  }

  /**
   * The map as JSON, written by Jackson's streaming generator: the same bytes as
   * {@link JsonObject#toBuffer()}, without its map serializer's per-entry serializer lookups (7 %
   * of an uncached read's samples). Anything but booleans (not from this service's reads) takes
   * the general way.
   */
  private static Buffer body(JsonObject features) {
    // Written straight into the answer's buffer: a ByteArrayBuilder, its toByteArray and
    // Buffer.buffer(byte[]) each copied the body, and the ETag's getBytes once more (together
    // 17 % of the bytes an uncached read allocated). Jackson buffers the output and writes it once.
    Buffer body = Buffer.buffer(features.size() * 24 + 2);
    OutputStream bytes = new OutputStream() {
      @Override
      public void write(int b) {
        body.appendByte((byte) b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        body.appendBytes(b, off, len);
      }
    };
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      for (Map.Entry<String, Object> flag : features.getMap().entrySet()) {
        if (!(flag.getValue() instanceof Boolean enabled)) {
          return features.toBuffer();
        }
        json.writeBooleanField(flag.getKey(), enabled);
      }
      json.writeEndObject();
    } catch (IOException inMemory) {
      throw new UncheckedIOException(inMemory);
    }
    return body;
  }

  /**
   * Whether the names are the catalogue's shared strings already: the database verticle interns
   * them as it collects the rows, and the event bus's local copy keeps them. A map decoded from
   * another node's reply has copies of its own.
   */
  private static boolean namesShared(JsonObject features) {
    Iterator<String> names = features.fieldNames().iterator();
    if (!names.hasNext()) {
      return true;
    }
    String first = names.next();
    return first == first.intern();
  }

  /**
   * The map with its flag names interned (the overridden names too): every tenant's map has the
   * same names, and each read decoded its own copies, a third of a cached tenant's heap (8.2 KB a
   * tenant with 57 flags, {@code jcmd GC.class_histogram} over 10,000 cached tenants). Names come
   * from the catalogue only, so the JVM's string table holds no more of them than it has.
   */
  private static JsonObject withSharedNames(JsonObject features) {
    Map<String, Object> shared = new LinkedHashMap<>(features.size() * 4 / 3 + 1);
    features.getMap().forEach((name, value) -> shared.put(name.intern(), value));
    return new JsonObject(shared);
  }

  /**
   * {@code "r<revision>-<crc32 of the body>"}: the revision changes with every change of the
   * tenant's overrides; the checksum also changes when a flag is added, renamed or removed,
   * which changes every tenant's map without touching their revisions.
   */
  private static String etag(long revision, Buffer body) {
    CRC32 crc = new CRC32();
    crc.update(((BufferInternal) body).getByteBuf().nioBuffer());
    return "\"r" + revision + "-" + Long.toHexString(crc.getValue()) + "\"";
  }

  public long ageMs() {
    return (System.nanoTime() - readAtNanos) / 1_000_000;
  }
}
