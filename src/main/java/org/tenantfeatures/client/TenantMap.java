package org.tenantfeatures.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.tenantfeatures.client.FeatureBus.Fields;

/**
 * One tenant's complete map: every flag of the catalogue, {@code true} or {@code false}, in name
 * order, read by one statement; why the flags that are not the default have their value (the
 * tenant's own overrides; the flags a segment rule decided, with the segment; the flags whose
 * rollout holds the tenant); the tenant's revision at that read (it grows with every change of
 * the tenant's overrides or attributes); and the inputs it was evaluated from (null if unknown),
 * for a node to evaluate it again when the catalogue changes. The collections are read-only views
 * of what was read, not copies.
 */
public record TenantMap(String tenantId, Map<String, Boolean> features, List<String> overridden, Map<String, String> bySegment,
                        List<String> inRollout, long revision, TenantInputs inputs) {

  public TenantMap {
    features = Collections.unmodifiableMap(features);
    overridden = Collections.unmodifiableList(overridden);
    bySegment = Collections.unmodifiableMap(bySegment);
    inRollout = Collections.unmodifiableList(inRollout);
  }

  /** A map decided by overrides and defaults alone, without its inputs. */
  public TenantMap(String tenantId, Map<String, Boolean> features, List<String> overridden, long revision) {
    this(tenantId, features, overridden, Map.of(), List.of(), revision, null);
  }

  /**
   * The bus form: {@code {tenantId, features: {flag: bool, ...}, overridden: [flag, ...],
   * bySegment: {flag: segment, ...}, inRollout: [flag, ...], revision, inputs}}, wrapping, not
   * copying (but the inputs' arrays).
   */
  @SuppressWarnings("unchecked")
  JsonObject toJson() {
    return new JsonObject()
        .put(Fields.TENANT_ID, tenantId)
        .put(Fields.FEATURES, new JsonObject((Map<String, Object>) (Map<String, ?>) features))
        .put(Fields.OVERRIDDEN, new JsonArray((List<Object>) (List<?>) overridden))
        .put(Fields.BY_SEGMENT, new JsonObject((Map<String, Object>) (Map<String, ?>) bySegment))
        .put(Fields.IN_ROLLOUT, new JsonArray((List<Object>) (List<?>) inRollout))
        .put(Fields.REVISION, revision)
        .put(Fields.INPUTS, inputs == null ? null : inputs.toJson());
  }

  /** From {@link #toJson()}'s form; the bus contract makes every value a boolean and every name a string. */
  @SuppressWarnings("unchecked")
  static TenantMap fromJson(JsonObject json) {
    return new TenantMap(json.getString(Fields.TENANT_ID),
        (Map<String, Boolean>) (Map<String, ?>) json.getJsonObject(Fields.FEATURES).getMap(),
        (List<String>) (List<?>) json.getJsonArray(Fields.OVERRIDDEN, new JsonArray()).getList(),
        (Map<String, String>) (Map<String, ?>) json.getJsonObject(Fields.BY_SEGMENT, new JsonObject()).getMap(),
        (List<String>) (List<?>) json.getJsonArray(Fields.IN_ROLLOUT, new JsonArray()).getList(),
        json.getLong(Fields.REVISION, 0L),
        TenantInputs.fromJson(json.getJsonObject(Fields.INPUTS)));
  }
}
