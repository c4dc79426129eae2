package org.tenantfeatures.client;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tenantfeatures.client.FeatureBus.Fields;

/**
 * One tenant's complete map: every flag, {@code true} or {@code false}, read by one statement, and
 * the tenant's revision at that read (it grows with every change of the tenant's overrides).
 */
public record TenantMap(String tenantId, Map<String, Boolean> features, long revision) {

  public TenantMap {
    features = Map.copyOf(features);
  }

  /** From a reply to {@link FeatureBus.Actions#GET_TENANT_FEATURES}. */
  static TenantMap fromReply(JsonObject reply) {
    Map<String, Boolean> features = new LinkedHashMap<>();
    reply.getJsonObject(Fields.FEATURES).forEach(e -> features.put(e.getKey(), (Boolean) e.getValue()));
    return new TenantMap(reply.getString(Fields.TENANT_ID), features, reply.getLong(Fields.REVISION, 0L));
  }
}
