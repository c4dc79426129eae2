package org.tenantfeatures.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.TenantMap;
import org.tenantfeatures.client.TenantMaps;
import org.tenantfeatures.db.read.TenantReads;
import org.tenantfeatures.db.write.Writes;

/** {@link TenantMaps} in SQL: the reads on the pipelined client, the override in a transaction of its own. */
record SqlTenantMaps(TenantReads reads, Writes writes) implements TenantMaps {

  @Override
  public Future<TenantMap> tenantMap(String tenantId, Call call) {
    return reads.tenantMap(tenantId, call);
  }

  @Override
  public Future<JsonArray> roles(String tenantId, Call call) {
    return reads.roles(tenantId, call);
  }

  @Override
  public Future<JsonObject> setOverride(String tenantId, String flag, Boolean enabled, String actor, Call call) {
    return writes.setOverride(tenantId, flag, enabled, actor, call);
  }

  @Override
  public Future<JsonObject> explain(String tenantId, String flag, Call call) {
    return reads.explain(tenantId, flag, call);
  }
}
