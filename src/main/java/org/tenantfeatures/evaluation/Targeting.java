package org.tenantfeatures.evaluation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a flag decides a tenant's value when the tenant has no override: the first rule whose
 * segment contains the tenant, else the rollout ({@code true} when the tenant's bucket is below
 * the percentage), else the default. {@link #NONE} is a flag without targeting: {@code false}
 * for every tenant without an override, the incident's join.
 *
 * @param rolloutBasisPoints the rollout's percentage in hundredths (0..10,000), or -1 without a rollout
 * @param salt the bucket's salt, or null for the flag's name
 */
public record Targeting(boolean defaultValue, List<Rule> rules, int rolloutBasisPoints, String salt) {

  public static final int MAX_RULES = 50;
  public static final int MAX_SALT = 100;
  public static final Targeting NONE = new Targeting(false, List.of(), -1, null);
  private static final Pattern SALT = Pattern.compile("[\\x21-\\x7e]{1," + MAX_SALT + "}");
  private static final List<String> KEYS = List.of("default", "rules", "rollout", "salt");

  /** A rule: the tenants of {@code segment} get {@code value}. */
  public record Rule(String segment, boolean value) {
  }

  public Targeting {
    rules = List.copyOf(rules);
  }

  /**
   * From its JSON form {@code {"default": bool, "rules": [{"segment", "value"}], "rollout":
   * {"percentage": 0..100, two decimals at most}, "salt"}} (each part optional);
   * {@link InvalidDefinition} says what is wrong. Whether the segments exist is the caller's to check.
   */
  public static Targeting of(Map<String, Object> json) {
    for (String key : json.keySet()) {
      InvalidDefinition.check(KEYS.contains(key), "Targeting has 'default', 'rules', 'rollout' and 'salt'; not '" + key + "'.");
    }
    Object defaultValue = json.getOrDefault("default", Boolean.FALSE);
    InvalidDefinition.check(defaultValue instanceof Boolean, "'default' is true or false.");
    Object rawRules = json.getOrDefault("rules", List.of());
    InvalidDefinition.check(rawRules instanceof List<?> list && list.size() <= MAX_RULES,
        "'rules' is a list of at most " + MAX_RULES + " rules {\"segment\", \"value\"}.");
    List<Rule> rules = new ArrayList<>();
    for (Object rule : (List<?>) rawRules) {
      InvalidDefinition.check(rule instanceof Map<?, ?> m && m.size() == 2 && m.get("segment") instanceof String
          && m.get("value") instanceof Boolean, "A rule is {\"segment\": \"<name>\", \"value\": true or false}.");
      Map<?, ?> m = (Map<?, ?>) rule;
      rules.add(new Rule((String) m.get("segment"), (Boolean) m.get("value")));
    }
    int basisPoints = -1;
    Object rollout = json.get("rollout");
    if (rollout != null) {
      InvalidDefinition.check(rollout instanceof Map<?, ?> m && m.size() == 1 && m.get("percentage") instanceof Number,
          "'rollout' is {\"percentage\": 0 to 100}.");
      basisPoints = basisPoints((Number) ((Map<?, ?>) rollout).get("percentage"));
    }
    Object salt = json.get("salt");
    InvalidDefinition.check(salt == null || salt instanceof String s && SALT.matcher(s).matches(),
        "'salt' is 1 to " + MAX_SALT + " printable ASCII characters other than spaces.");
    return new Targeting((Boolean) defaultValue, rules, basisPoints, (String) salt);
  }

  /** A percentage 0..100 with at most two decimals, in hundredths. */
  private static int basisPoints(Number percentage) {
    BigDecimal exact;
    try {
      exact = new BigDecimal(percentage.toString());
    } catch (NumberFormatException e) {
      throw new InvalidDefinition("'percentage' is a number from 0 to 100 with at most two decimals.");
    }
    BigDecimal hundredths = exact.movePointRight(2);
    InvalidDefinition.check(exact.signum() >= 0 && exact.compareTo(BigDecimal.valueOf(100)) <= 0
            && hundredths.stripTrailingZeros().scale() <= 0,
        "'percentage' is a number from 0 to 100 with at most two decimals.");
    return hundredths.intValueExact();
  }

  /** The JSON form {@link #of} reads; the percentage as a number with at most two decimals. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("default", defaultValue);
    json.put("rules", rules.stream().map(r -> Map.of("segment", r.segment(), "value", r.value())).toList());
    if (rolloutBasisPoints >= 0) {
      json.put("rollout", Map.of("percentage", percentage(rolloutBasisPoints)));
    }
    if (salt != null) {
      json.put("salt", salt);
    }
    return json;
  }

  /** Hundredths as the percentage they are: 1250 is 12.5, 2000 is 20. */
  public static Number percentage(int basisPoints) {
    BigDecimal value = BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros();
    return value.scale() <= 0 ? (Number) value.intValueExact() : (Number) value.doubleValue();
  }

  /** The segments its rules name, in order, each once. */
  public List<String> segments() {
    return rules.stream().map(Rule::segment).distinct().toList();
  }
}
