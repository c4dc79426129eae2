package org.tenantfeatures.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Objects;

/**
 * What one tenant's map is evaluated from, besides the catalogue: its overrides by flag id (the
 * id, not the name: a flag deleted and made again under its name is another flag) and its
 * attributes ({@code null}: no record). A node keeps them with the map, so that a change of the
 * catalogue re-evaluates its cached tenants without reading them again.
 */
public record TenantInputs(long[] flagIds, boolean[] enabled, JsonObject attributes) {

  public TenantInputs {
    if (flagIds.length != enabled.length) {
      throw new IllegalArgumentException("an override needs its flag id and its value");
    }
  }

  /** The bus form: {@code {flagIds: [...], enabled: [...], attributes}}. */
  JsonObject toJson() {
    JsonArray ids = new JsonArray();
    JsonArray values = new JsonArray();
    for (int i = 0; i < flagIds.length; i++) {
      ids.add(flagIds[i]);
      values.add(enabled[i]);
    }
    return new JsonObject().put("flagIds", ids).put(FeatureBus.Fields.ENABLED, values).put(FeatureBus.Fields.ATTRIBUTES, attributes);
  }

  /** From {@link #toJson()}'s form, or null if {@code json} is null (an answer without inputs). */
  static TenantInputs fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    JsonArray ids = json.getJsonArray("flagIds");
    JsonArray values = json.getJsonArray(FeatureBus.Fields.ENABLED);
    long[] flagIds = new long[ids.size()];
    boolean[] enabled = new boolean[ids.size()];
    for (int i = 0; i < flagIds.length; i++) {
      flagIds[i] = ids.getLong(i);
      enabled[i] = values.getBoolean(i);
    }
    return new TenantInputs(flagIds, enabled, json.getJsonObject(FeatureBus.Fields.ATTRIBUTES));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TenantInputs o && Arrays.equals(o.flagIds, flagIds) && Arrays.equals(o.enabled, enabled)
        && Objects.equals(o.attributes, attributes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(flagIds) * 31 + Arrays.hashCode(enabled);
  }

  @Override
  public String toString() {
    return "TenantInputs" + Arrays.toString(flagIds) + Arrays.toString(enabled) + attributes;
  }
}
