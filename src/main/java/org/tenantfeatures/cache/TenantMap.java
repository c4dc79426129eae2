package org.tenantfeatures.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * One tenant's complete feature map as read by one statement, the flags the tenant overrides, its revision, its response body
 * encoded once (cache hits cost no serialisation) with the body's ETag, and the moment (nanoTime)
 * the read completed. Treated as immutable.
 */
public record TenantMap(String tenantId, JsonObject features, Set<String> overridden, long revision, Buffer body, String etag,
                        long readAtNanos) {

  public static TenantMap of(String tenantId, JsonObject features, Set<String> overridden, long revision) {
    Buffer body = features.toBuffer();
    return new TenantMap(tenantId, features, Set.copyOf(overridden), revision, body, etag(revision, body), System.nanoTime());
  }

  /**
   * {@code "r<revision>-<crc32 of the body>"}: the revision changes with every change of the
   * tenant's overrides; the checksum also changes when a flag is added, renamed or removed,
   * which changes every tenant's map without touching their revisions.
   */
  private static String etag(long revision, Buffer body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes());
    return "\"r" + revision + "-" + Long.toHexString(crc.getValue()) + "\"";
  }

  public long ageMs() {
    return (System.nanoTime() - readAtNanos) / 1_000_000;
  }
}
