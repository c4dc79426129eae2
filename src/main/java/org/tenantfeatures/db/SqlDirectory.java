package org.tenantfeatures.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.Directory;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.PlainJson;
import org.tenantfeatures.db.read.DirectoryReads;
import org.tenantfeatures.db.write.Writes;
import org.tenantfeatures.evaluation.Attributes;

/** {@link Directory} in SQL: the reads on the pipelined client, a tenant's record in a transaction of its own. */
record SqlDirectory(DirectoryReads reads, Writes writes) implements Directory {

  @Override
  public Future<JsonObject> tenantPage(String after, int limit, Collection<String> tenants, String namePrefix, JsonObject attribute,
      Call call) {
    return reads.tenantPage(after, limit, tenants, namePrefix, attribute, call);
  }

  /** Every record's attributes are checked again here ({@link Attributes}): a sender on the bus may not have. */
  @Override
  public Future<JsonObject> putTenants(JsonArray tenants, String actor, Call call) {
    tenants.forEach(record -> Attributes.of(PlainJson.of(((JsonObject) record).getJsonObject(Fields.ATTRIBUTES))));
    return writes.putTenants(tenants, actor, call);
  }

  @Override
  public Future<JsonObject> auditPage(String tenantId, int limit, Long before, String flag, Call call) {
    return reads.auditPage(tenantId, limit, before, flag, call);
  }

  @Override
  public Future<JsonObject> catalogueAuditPage(int limit, Long before, String flag, String segment, Call call) {
    return reads.catalogueAuditPage(limit, before, flag, segment, call);
  }

  @Override
  public Future<JsonObject> getTenant(String tenantId, Call call) {
    return reads.getTenant(tenantId, call);
  }

  /** The attributes are checked again here ({@link Attributes}): a sender on the bus may not have. */
  @Override
  public Future<JsonObject> putTenant(String tenantId, String name, JsonObject attributes, String actor, Call call) {
    Attributes.of(PlainJson.of(attributes));
    return writes.putTenant(tenantId, name, attributes, actor, call);
  }
}
