package org.tenantfeatures.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tenantfeatures.client.TenantIds;

/**
 * A named set of tenants, reusable by every flag's rules: the tenants listed by id, and, if it
 * has conditions, the tenants whose attributes meet all of them ({@code match: all}, the default)
 * or any ({@code any}). A segment without conditions holds only its listed tenants (never
 * everyone: an empty {@code all} is not read as "always").
 */
public record Segment(String name, String description, boolean matchAll, List<Condition> conditions, Set<String> tenants) {

  public static final int MAX_CONDITIONS = 50;
  public static final int MAX_TENANTS = 5_000;
  public static final int MAX_DESCRIPTION = 1_000;

  public Segment {
    conditions = List.copyOf(conditions);
    tenants = Set.copyOf(tenants);
  }

  /**
   * From its JSON form {@code {"description", "match", "conditions", "tenants"}} (each optional),
   * under {@code name} (checked by the caller: a flag name's form); {@link InvalidDefinition}
   * says what is wrong. Tenant ids must be canonical (lower-case) UUIDs, listed once.
   */
  public static Segment of(String name, Map<String, Object> json) {
    Object description = json.getOrDefault("description", "");
    InvalidDefinition.check(description instanceof String s && s.length() <= MAX_DESCRIPTION
            && s.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r'),
        "'description' is a string of at most " + MAX_DESCRIPTION + " characters, without control characters other than line breaks and tabs.");
    Object match = json.getOrDefault("match", "all");
    InvalidDefinition.check("all".equals(match) || "any".equals(match), "'match' is \"all\" or \"any\".");
    Object rawConditions = json.getOrDefault("conditions", List.of());
    InvalidDefinition.check(rawConditions instanceof List<?> list && list.size() <= MAX_CONDITIONS,
        "'conditions' is a list of at most " + MAX_CONDITIONS + " conditions.");
    List<Condition> conditions = new ArrayList<>();
    for (Object condition : (List<?>) rawConditions) {
      conditions.add(Condition.of(condition));
    }
    Object rawTenants = json.getOrDefault("tenants", List.of());
    InvalidDefinition.check(rawTenants instanceof List<?> list && list.size() <= MAX_TENANTS,
        "'tenants' is a list of at most " + MAX_TENANTS + " tenant ids.");
    Set<String> tenants = new LinkedHashSet<>();
    for (Object tenant : (List<?>) rawTenants) {
      InvalidDefinition.check(TenantIds.isCanonical(tenant), "'tenants' holds tenant ids: UUIDs in canonical lower-case form.");
      InvalidDefinition.check(tenants.add((String) tenant), "'tenants' lists " + tenant + " twice.");
    }
    for (String key : json.keySet()) {
      InvalidDefinition.check(List.of("description", "match", "conditions", "tenants").contains(key),
          "A segment has 'description', 'match', 'conditions' and 'tenants'; not '" + key + "'.");
    }
    return new Segment(name, (String) description, "all".equals(match), conditions, tenants);
  }

  /** The JSON form {@link #of} reads, tenants sorted, with its {@code name} besides (which {@link #of} takes apart). */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.putAll(definition());
    return json;
  }

  /** The JSON form {@link #of} reads, tenants sorted: the definition as stored, without the name. */
  public Map<String, Object> definition() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("description", description);
    json.put("match", matchAll ? "all" : "any");
    json.put("conditions", conditions.stream().map(Condition::toJson).toList());
    json.put("tenants", tenants.stream().sorted().toList());
    return json;
  }

  public boolean contains(String tenantId, Attributes attributes) {
    if (tenants.contains(tenantId)) {
      return true;
    }
    if (conditions.isEmpty()) {
      return false;
    }
    for (Condition condition : conditions) {
      if (condition.matches(attributes) != matchAll) {
        return !matchAll;
      }
    }
    return matchAll;
  }
}
