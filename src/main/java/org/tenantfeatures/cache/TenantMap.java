package org.tenantfeatures.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One tenant's complete feature map as read by one statement, with its response body encoded
 * once so that cache hits cost no serialisation. Treated as immutable.
 */
public record TenantMap(String tenantId, JsonObject features, Buffer body) {

  public static TenantMap of(String tenantId, JsonObject features) {
    return new TenantMap(tenantId, features, features.toBuffer());
  }
}
