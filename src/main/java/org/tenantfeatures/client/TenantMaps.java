package org.tenantfeatures.client;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A tenant's map and the overrides that make it. Implemented by {@link DatabaseClient} (asks over
 * the bus) and by the database side (SQL). Every method fails with a
 * {@link io.vertx.core.eventbus.ReplyException} whose {@code failureCode()} is a {@link FailureCode}.
 */
public interface TenantMaps {

  /** Every flag of the catalogue with the tenant's value and the tenant's revision: complete, or failed. */
  Future<TenantMap> tenantMap(String tenantId, Call call);

  /** The tenant's roles, {@code [{name, description}, ...]} by name. */
  Future<JsonArray> roles(String tenantId, Call call);

  /**
   * Sets ({@code enabled} true or false) or removes ({@code null}) the tenant's override of
   * {@code flag}, with its audit row, in one transaction, never retried: {@code {tenantId, flag,
   * enabled, revision}}.
   */
  Future<JsonObject> setOverride(String tenantId, String flag, Boolean enabled, String actor, Call call);

  /**
   * Why the tenant has its value of {@code flag}: {@code {flag, value, reason (override, segment,
   * rollout, default), segment, bucket, percentage, revision, catalogueVersion, lastChange: {actor,
   * action, requestId, at} or null}}; {@link FailureCode#NOT_FOUND} for a flag not in the catalogue.
   */
  Future<JsonObject> explain(String tenantId, String flag, Call call);
}
