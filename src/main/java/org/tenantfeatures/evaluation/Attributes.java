package org.tenantfeatures.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A tenant's attributes, checked: each a string, a number, a boolean or a list of strings, under
 * a name of at most {@value #MAX_NAME} characters ({@code [A-Za-z][A-Za-z0-9_.-]*}); at most
 * {@value #MAX_COUNT} of them, strings at most {@value #MAX_STRING} characters, lists at most
 * {@value #MAX_LIST} strings. Numbers are compared as doubles, so a number must be finite. Immutable; the map keeps the order it was given.
 */
public final class Attributes {

  public static final int MAX_COUNT = 50;
  public static final int MAX_NAME = 64;
  public static final int MAX_STRING = 256;
  public static final int MAX_LIST = 100;
  public static final Attributes NONE = new Attributes(Map.of());
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0," + (MAX_NAME - 1) + "}");

  private final Map<String, Object> values;

  private Attributes(Map<String, Object> values) {
    this.values = values;
  }

  /**
   * From a JSON object's map (as a JSON parser gives it: strings, numbers, booleans, lists);
   * {@link InvalidDefinition} names the first attribute that breaks a rule.
   */
  public static Attributes of(Map<String, ?> json) {
    if (json == null || json.isEmpty()) {
      return NONE;
    }
    InvalidDefinition.check(json.size() <= MAX_COUNT, "At most " + MAX_COUNT + " attributes.");
    Map<String, Object> checked = new LinkedHashMap<>(json.size() * 4 / 3 + 1);
    json.forEach((name, value) -> {
      InvalidDefinition.check(name != null && NAME.matcher(name).matches(),
          "An attribute's name is a letter then letters, digits, '_', '.' or '-', at most " + MAX_NAME + " characters.");
      checked.put(name, value(name, value));
    });
    return new Attributes(Collections.unmodifiableMap(checked));
  }

  private static Object value(String name, Object value) {
    if (value instanceof String s) {
      InvalidDefinition.check(s.length() <= MAX_STRING, "Attribute '" + name + "': a string of at most " + MAX_STRING + " characters.");
      return s;
    }
    if (value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number n) {
      InvalidDefinition.check(Double.isFinite(n.doubleValue()), "Attribute '" + name + "': a finite number.");
      return n;
    }
    if (value instanceof List<?> list) {
      InvalidDefinition.check(list.size() <= MAX_LIST, "Attribute '" + name + "': a list of at most " + MAX_LIST + " strings.");
      List<String> strings = new ArrayList<>(list.size());
      for (Object item : list) {
        InvalidDefinition.check(item instanceof String s && s.length() <= MAX_STRING,
            "Attribute '" + name + "': a list of strings of at most " + MAX_STRING + " characters each.");
        strings.add((String) item);
      }
      return List.copyOf(strings);
    }
    throw new InvalidDefinition("Attribute '" + name + "': a string, a number, a boolean or a list of strings.");
  }

  /** The value (String, Number, Boolean or List of String), or null if the tenant has none. */
  public Object get(String name) {
    return values.get(name);
  }

  /** Name to value, read-only, in the order given. */
  public Map<String, Object> asMap() {
    return values;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Attributes a && a.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
