package org.tenantfeatures.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One tenant's complete feature map as read by one statement, with its response body encoded
 * once so that cache hits cost no serialisation, and the moment (nanoTime) the read completed.
 * Treated as immutable.
 */
public record TenantMap(String tenantId, JsonObject features, Buffer body, long readAtNanos) {

  public static TenantMap of(String tenantId, JsonObject features) {
    return new TenantMap(tenantId, features, features.toBuffer(), System.nanoTime());
  }

  public long ageMs() {
    return (System.nanoTime() - readAtNanos) / 1_000_000;
  }
}
