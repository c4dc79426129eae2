package org.tenantfeatures.evaluation;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of the JSON forms the service stores (targeting, segments, tenant attributes), for
 * the property tests. The vocabularies are small on purpose: a handful of attribute names and
 * values make conditions match often, and every attribute can take every kind, so comparisons
 * across kinds (the string "10" against the number 10, a list against a string) come up.
 */
final class EvaluationArbitraries {

  /** A catalogue: targeting JSON by flag name (in generation order), segment JSON by name. */
  record Catalogue(Map<String, Map<String, Object>> flags, Map<String, Map<String, Object>> segments) {
  }

  /** A tenant; {@code overrides.get(i)} overrides the catalogue's i-th flag, null for none. */
  record Tenant(String id, Map<String, Object> attributes, List<Boolean> overrides) {
  }

  static final int MAX_FLAGS = 20;
  static final int MAX_SEGMENTS = 6;
  private static final List<String> ATTRIBUTE_NAMES = List.of("plan", "region", "seats", "beta", "tags");
  private static final List<String> OPS = List.of("in", "not_in", "lt", "lte", "gt", "gte", "exists", "not_exists");
  /** Tenants that segments may list; the tenants evaluated are drawn partly from here so listing matters. */
  private static final List<String> TENANT_POOL = List.of(
      "0b7e3c1a-5d2f-4a8e-9c61-2f4d8a7b9e01", "5c1f9a2e-7b3d-4e6a-8f20-1a9c3e5d7b02",
      "9e4d2b7a-1c8f-4d3e-a5b6-7c2e9f1a3d03", "d2a8f4c6-3e9b-4f1a-b7c5-8e6d1a2f4c04");
  private static final List<Object> STRINGS = List.of("free", "pro", "eu", "us", "10", "true", "");
  /** Integers, longs and doubles that are equal as doubles (10, 10L, 10.0), so kinds of number are mixed. */
  private static final List<Object> NUMBERS = List.of(0, 5, 10, 10L, 10.0, 2.5, -1, -0.5, 1_000_000_000_000L);

  private EvaluationArbitraries() {
  }

  static Arbitrary<Catalogue> catalogues() {
    return Combinators.combine(flagNames().list().uniqueElements().ofMinSize(1).ofMaxSize(MAX_FLAGS),
        targeting().list().ofSize(MAX_FLAGS), segments()).as((names, targetings, segments) -> {
          Map<String, Map<String, Object>> flags = new LinkedHashMap<>();
          for (int i = 0; i < names.size(); i++) {
            flags.put(names.get(i), targetings.get(i));
          }
          return new Catalogue(flags, segments);
        });
  }

  static Arbitrary<Tenant> tenants() {
    return Combinators.combine(tenantIds(), attributes(), Arbitraries.of(true, false).injectNull(0.7).list().ofSize(MAX_FLAGS))
        .as(Tenant::new);
  }

  /** A flag's name as the API allows it: a lower-case letter, then a-z, 0-9, '_', '.', '-'. */
  static Arbitrary<String> flagNames() {
    return Combinators.combine(Arbitraries.chars().range('a', 'z'),
            Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789_.-").ofMaxLength(10))
        .as((first, rest) -> first + rest);
  }

  /** A salt as Targeting accepts it: printable ASCII without spaces. */
  static Arbitrary<String> salts() {
    return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(12);
  }

  /** Pool members half of the time, otherwise any canonical UUID. */
  static Arbitrary<String> tenantIds() {
    return Arbitraries.oneOf(Arbitraries.of(TENANT_POOL),
        Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as((high, low) -> new UUID(high, low).toString()));
  }

  /** A percentage with 0, 1 or 2 decimals, as a JSON parser gives it: Integer when whole, else Double. */
  static Arbitrary<Number> percentages() {
    return Arbitraries.integers().between(0, 2).flatMap(decimals -> {
      int scale = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
      return Arbitraries.integers().between(0, 100 * scale).map(units -> percentage(units, decimals));
    });
  }

  /** {@code units / 10^decimals} as a JSON number. */
  static Number percentage(int units, int decimals) {
    if (decimals == 0) {
      return units;
    }
    return BigDecimal.valueOf(units, decimals).doubleValue();
  }

  /** A UUID the way UUID.randomUUID makes one (version 4, IETF variant), from a seeded generator. */
  static String randomUuid(Random random) {
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  private static Arbitrary<Map<String, Object>> targeting() {
    Arbitrary<Map<String, Object>> rule = Combinators.combine(
            Arbitraries.integers().between(0, MAX_SEGMENTS), Arbitraries.of(true, false))
        // s6 never exists (at most s0..s5 do), and s<k> for k at or past the segment count doesn't either.
        .as((segment, value) -> Map.of("segment", "s" + segment, "value", value));
    return Combinators.combine(Arbitraries.of(true, false).injectNull(0.3), rule.list().ofMaxSize(5),
        percentages().injectNull(0.3), salts().injectNull(0.6)).as((defaultValue, rules, percentage, salt) -> {
          Map<String, Object> json = new LinkedHashMap<>();
          if (defaultValue != null) {
            json.put("default", defaultValue);
          }
          if (!rules.isEmpty()) {
            json.put("rules", rules);
          }
          if (percentage != null) {
            json.put("rollout", Map.of("percentage", percentage));
          }
          if (salt != null) {
            json.put("salt", salt);
          }
          return json;
        });
  }

  private static Arbitrary<Map<String, Map<String, Object>>> segments() {
    return segment().list().ofMaxSize(MAX_SEGMENTS).map(list -> {
      Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
      for (int i = 0; i < list.size(); i++) {
        byName.put("s" + i, list.get(i));
      }
      return byName;
    });
  }

  private static Arbitrary<Map<String, Object>> segment() {
    return Combinators.combine(Arbitraries.of("all", "any", "(unset)"), condition().list().ofMaxSize(4),
        Arbitraries.of(TENANT_POOL).list().uniqueElements().ofMaxSize(2)).as((match, conditions, tenants) -> {
          Map<String, Object> json = new LinkedHashMap<>();
          if (!"(unset)".equals(match)) {
            json.put("match", match);
          }
          json.put("conditions", conditions);
          json.put("tenants", tenants);
          return json;
        });
  }

  private static Arbitrary<Map<String, Object>> condition() {
    return Combinators.combine(Arbitraries.of(ATTRIBUTE_NAMES), Arbitraries.of(OPS), scalar().list().ofMinSize(1).ofMaxSize(4),
        Arbitraries.of(NUMBERS), Arbitraries.of(true, false)).as((attribute, op, values, number, omitValues) -> {
          Map<String, Object> json = new LinkedHashMap<>();
          json.put("attribute", attribute);
          json.put("op", op);
          switch (op) {
            case "in", "not_in" -> json.put("values", values);
            case "exists", "not_exists" -> {
              // Both spellings of "no values" are accepted: the key left out, or an empty list.
              if (!omitValues) {
                json.put("values", List.of());
              }
            }
            default -> json.put("values", List.of(number));
          }
          return json;
        });
  }

  /** Each vocabulary attribute absent 40 % of the time, else a string, number, boolean or list of strings. */
  private static Arbitrary<Map<String, Object>> attributes() {
    Arbitrary<Object> value = Arbitraries.oneOf(Arbitraries.of(STRINGS), Arbitraries.of(NUMBERS), Arbitraries.of(true, false),
        Arbitraries.of(STRINGS).list().ofMaxSize(3));
    return value.injectNull(0.4).list().ofSize(ATTRIBUTE_NAMES.size()).map(values -> {
      Map<String, Object> json = new LinkedHashMap<>();
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) != null) {
          json.put(ATTRIBUTE_NAMES.get(i), values.get(i));
        }
      }
      return json;
    });
  }

  private static Arbitrary<Object> scalar() {
    return Arbitraries.oneOf(Arbitraries.of(STRINGS), Arbitraries.of(NUMBERS), Arbitraries.of(true, false));
  }
}
