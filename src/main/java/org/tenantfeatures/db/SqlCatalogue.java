package org.tenantfeatures.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.Catalogue;
import org.tenantfeatures.client.FlagChange;
import org.tenantfeatures.db.read.CatalogueReads;
import org.tenantfeatures.db.write.Writes;

/** {@link Catalogue} in SQL: reads behind the breaker with retries, changes in a transaction each. */
record SqlCatalogue(CatalogueReads reads, Writes writes) implements Catalogue {

  @Override
  public Future<JsonObject> listFlags(Call call) {
    return reads.listFlags(call);
  }

  @Override
  public Future<JsonObject> getFlag(String name, Call call) {
    return reads.getFlag(name, call);
  }

  @Override
  public Future<JsonObject> writeFlag(FlagChange change, String name, String description, String actor, Call call) {
    return writes.writeFlag(change, name, description, actor, call);
  }
}
