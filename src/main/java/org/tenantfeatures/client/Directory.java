package org.tenantfeatures.client;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collection;

/** What can be listed: the tenants that have overrides, and a tenant's audit log. Pages of 1 to 500. */
public interface Directory {

  /**
   * {@code {tenants: [{tenantId, revision, overrides}, ...], next}}: the tenants whose overrides
   * were ever changed, by id, after {@code after} (null: from the first); {@code tenants} limits
   * them to a scoped token's ids (null: all). {@code next} is the following page's {@code after},
   * null after the last.
   */
  Future<JsonObject> tenantPage(String after, int limit, Collection<String> tenants, Call call);

  /**
   * {@code {entries: [...newest first], next}}: the tenant's audit entries before the entry id
   * {@code before} (null: the newest), of {@code flag} only unless it is null.
   */
  Future<JsonObject> auditPage(String tenantId, int limit, Long before, String flag, Call call);
}
