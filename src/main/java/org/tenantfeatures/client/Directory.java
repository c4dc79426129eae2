package org.tenantfeatures.client;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;

/** The tenants the service knows of, their records, and a tenant's audit log. Pages of 1 to 500. */
public interface Directory {

  /** The most entries a page holds; a larger limit is refused, at the HTTP edge and on the bus alike. */
  int MAX_PAGE = 500;
  /** A page's size when none is asked for. */
  int DEFAULT_PAGE = 50;

  /** The most tenants one batch upsert carries. */
  int MAX_BATCH = 1_000;

  /**
   * {@code {tenants: [{tenantId, name, attributes, revision, overrides}, ...], next}}: the tenants
   * the service knows of (a record, or overrides ever changed), by id, after {@code after} (null:
   * from the first); {@code tenants} limits them to a scoped token's ids (null: all);
   * {@code namePrefix} (lower case; null: any) to records whose name starts so, ignoring case;
   * {@code attribute} ({@code {name: value}}; null: any) to records with that attribute value
   * (a string also matches a list holding it). {@code next} is the following page's
   * {@code after}, null after the last.
   */
  Future<JsonObject> tenantPage(String after, int limit, Collection<String> tenants, String namePrefix, JsonObject attribute,
      Call call);

  /**
   * {@code {entries: [...newest first], next}}: the tenant's audit entries before the entry id
   * {@code before} (null: the newest), of {@code flag} only unless it is null.
   */
  Future<JsonObject> auditPage(String tenantId, int limit, Long before, String flag, Call call);

  /**
   * {@code {entries: [...newest first], next}}: the entries that concern no one tenant (flags made
   * and deleted, targeting and segment changes) before the entry id {@code before} (null: the
   * newest), of {@code flag} only and of {@code segment} only unless they are null.
   */
  Future<JsonObject> catalogueAuditPage(int limit, Long before, String flag, String segment, Call call);

  /** {@code {tenantId, name, attributes, revision, createdAt, updatedAt}}; {@link FailureCode#UNKNOWN_TENANT} without a record. */
  Future<JsonObject> getTenant(String tenantId, Call call);

  /**
   * Creates or replaces the tenant's record ({@code attributes}: {@code evaluation.Attributes}'
   * JSON form); a change of its attributes moves its revision and is announced like an override's.
   * Answers the record as {@link #getTenant} does.
   */
  Future<JsonObject> putTenant(String tenantId, String name, JsonObject attributes, String actor, Call call);

  /**
   * Creates or replaces up to {@link #MAX_BATCH} tenants' records ({@code [{tenantId, name,
   * attributes}, ...]}, each id once) in one transaction: all or none. Each change is audited and
   * announced as {@link #putTenant}'s. Answers {@code {received, changed}}.
   */
  Future<JsonObject> putTenants(JsonArray tenants, String actor, Call call);
}
