package org.tenantfeatures.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One condition of a segment over a tenant's attribute:
 * <ul>
 *   <li>{@code in}: the attribute equals one of the values (a list attribute: one of its strings
 *       does); strings, numbers (as doubles) and booleans each compare only with their own kind;</li>
 *   <li>{@code not_in}: not {@code in}, so also true for a tenant without the attribute;</li>
 *   <li>{@code lt}, {@code lte}, {@code gt}, {@code gte}: the attribute is a number and compares so
 *       with the one number given; false for a tenant whose attribute is not a number or absent;</li>
 *   <li>{@code exists}, {@code not_exists}: whether the tenant has the attribute; no values.</li>
 * </ul>
 */
public record Condition(String attribute, Op op, List<Object> values) {

  public static final int MAX_VALUES = 100;

  /** The operators, as the API names them. */
  public enum Op {
    IN, NOT_IN, LT, LTE, GT, GTE, EXISTS, NOT_EXISTS;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Op of(Object wire) {
      for (Op op : values()) {
        if (op.wire().equals(wire)) {
          return op;
        }
      }
      throw new InvalidDefinition("A condition's 'op' is one of in, not_in, lt, lte, gt, gte, exists, not_exists.");
    }
  }

  public Condition {
    values = List.copyOf(values);
  }

  /** From its JSON form {@code {"attribute", "op", "values"}}; {@link InvalidDefinition} says what is wrong. */
  static Condition of(Object json) {
    InvalidDefinition.check(json instanceof Map<?, ?>, "A condition is an object {\"attribute\", \"op\", \"values\"}.");
    Map<?, ?> map = (Map<?, ?>) json;
    Object attribute = map.get("attribute");
    InvalidDefinition.check(attribute instanceof String name && !name.isEmpty() && name.length() <= Attributes.MAX_NAME,
        "A condition's 'attribute' is an attribute's name.");
    Op op = Op.of(map.get("op"));
    Object rawValues = map.get("values");
    List<Object> values = new ArrayList<>();
    if (rawValues != null) {
      InvalidDefinition.check(rawValues instanceof List<?> list && list.size() <= MAX_VALUES,
          "A condition's 'values' is a list of at most " + MAX_VALUES + " strings, numbers or booleans.");
      for (Object value : (List<?>) rawValues) {
        InvalidDefinition.check(value instanceof String s && s.length() <= Attributes.MAX_STRING
                || value instanceof Boolean || value instanceof Number n && Double.isFinite(n.doubleValue()),
            "A condition's 'values' are strings (at most " + Attributes.MAX_STRING + " characters), finite numbers or booleans.");
        values.add(value);
      }
    }
    switch (op) {
      case EXISTS, NOT_EXISTS -> InvalidDefinition.check(values.isEmpty(), "'" + op.wire() + "' takes no values.");
      case IN, NOT_IN -> InvalidDefinition.check(!values.isEmpty(), "'" + op.wire() + "' takes at least one value.");
      default -> InvalidDefinition.check(values.size() == 1 && values.get(0) instanceof Number,
          "'" + op.wire() + "' takes exactly one number.");
    }
    return new Condition((String) attribute, op, values);
  }

  /** The JSON form, as {@link #of(Object)} reads it. */
  public Map<String, Object> toJson() {
    return Map.of("attribute", attribute, "op", op.wire(), "values", values);
  }

  public boolean matches(Attributes attributes) {
    Object value = attributes.get(attribute);
    return switch (op) {
      case EXISTS -> value != null;
      case NOT_EXISTS -> value == null;
      case IN -> in(value);
      case NOT_IN -> !in(value);
      default -> value instanceof Number n && compares(n.doubleValue(), ((Number) values.get(0)).doubleValue());
    };
  }

  private boolean compares(double actual, double bound) {
    return switch (op) {
      case LT -> actual < bound;
      case LTE -> actual <= bound;
      case GT -> actual > bound;
      default -> actual >= bound;
    };
  }

  private boolean in(Object value) {
    if (value instanceof List<?> strings) {
      for (Object s : strings) {
        if (listed(s)) {
          return true;
        }
      }
      return false;
    }
    return value != null && listed(value);
  }

  private boolean listed(Object value) {
    for (Object candidate : values) {
      if (same(value, candidate)) {
        return true;
      }
    }
    return false;
  }

  private static boolean same(Object value, Object candidate) {
    if (value instanceof Number a) {
      return candidate instanceof Number b && a.doubleValue() == b.doubleValue();
    }
    return value.equals(candidate);
  }
}
