package org.tenantfeatures.client;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collection;

/** What can be listed: the tenants that have overrides, and a tenant's audit log. Pages of 1 to 500. */
public interface Directory {

  /** The most entries a page holds; a larger limit is refused, at the HTTP edge and on the bus alike. */
  int MAX_PAGE = 500;
  /** A page's size when none is asked for. */
  int DEFAULT_PAGE = 50;

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

  /** {@code {tenantId, name, attributes, revision, createdAt, updatedAt}}; {@link FailureCode#UNKNOWN_TENANT} without a record. */
  Future<JsonObject> getTenant(String tenantId, Call call);

  /**
   * Creates or replaces the tenant's record ({@code attributes}: {@code evaluation.Attributes}'
   * JSON form); a change of its attributes moves its revision and is announced like an override's.
   * Answers the record as {@link #getTenant} does.
   */
  Future<JsonObject> putTenant(String tenantId, String name, JsonObject attributes, String actor, Call call);
}
