package org.tenantfeatures.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checked JSON forms: what Targeting.of, Segment.of and Attributes.of refuse (each limit
 * just past its edge, with the edge itself accepted, so an off-by-one shows), and that the
 * forms they accept survive toJson and back unchanged.
 */
class DefinitionParsingTest {

  private static final String TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

  static Stream<Arguments> badTargeting() {
    return Stream.of(
        Arguments.of("percentage -1", Map.of("rollout", Map.of("percentage", -1))),
        Arguments.of("percentage 100.01", Map.of("rollout", Map.of("percentage", 100.01))),
        Arguments.of("percentage with three decimals", Map.of("rollout", Map.of("percentage", 12.345))),
        Arguments.of("percentage as a string", Map.of("rollout", Map.of("percentage", "50"))),
        Arguments.of("rollout without percentage", Map.of("rollout", Map.of())),
        Arguments.of("unknown key", Map.of("default", true, "colour", "red")),
        Arguments.of("unknown key in rollout", Map.of("rollout", Map.of("percentage", 5, "sticky", true))),
        Arguments.of("rule without value", Map.of("rules", List.of(Map.of("segment", "beta")))),
        Arguments.of("rule with a string value", Map.of("rules", List.of(Map.of("segment", "beta", "value", "true")))),
        Arguments.of("default as a string", Map.of("default", "true")),
        Arguments.of("51 rules", Map.of("rules", rules(Targeting.MAX_RULES + 1))),
        Arguments.of("salt with a space", Map.of("salt", "a b")),
        Arguments.of("salt of 101 characters", Map.of("salt", "s".repeat(Targeting.MAX_SALT + 1))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTargeting")
  @DisplayName("Targeting.of refuses")
  void badTargetingIsRefused(String why, Map<String, Object> json) {
    assertThatThrownBy(() -> Targeting.of(json)).as(why).isInstanceOf(InvalidDefinition.class);
  }

  @Test
  @DisplayName("Targeting.of accepts the edges: 0, 100, two decimals, 50 rules")
  void targetingEdgesAreAccepted() {
    assertThat(Targeting.of(Map.of("rollout", Map.of("percentage", 0))).rolloutBasisPoints()).isZero();
    assertThat(Targeting.of(Map.of("rollout", Map.of("percentage", 100))).rolloutBasisPoints()).isEqualTo(10_000);
    assertThat(Targeting.of(Map.of("rollout", Map.of("percentage", 100.0))).rolloutBasisPoints()).isEqualTo(10_000);
    assertThat(Targeting.of(Map.of("rollout", Map.of("percentage", 12.34))).rolloutBasisPoints()).isEqualTo(1_234);
    assertThat(Targeting.of(Map.of("rollout", Map.of("percentage", 0.07))).rolloutBasisPoints()).isEqualTo(7);
    assertThat(Targeting.of(Map.of("rules", rules(Targeting.MAX_RULES))).rules()).hasSize(Targeting.MAX_RULES);
  }

  static Stream<Arguments> badSegments() {
    return Stream.of(
        Arguments.of("upper-case tenant id", Map.of("tenants", List.of(TENANT.toUpperCase()))),
        Arguments.of("tenant listed twice", Map.of("tenants", List.of(TENANT, TENANT))),
        Arguments.of("tenant id not a UUID", Map.of("tenants", List.of("acme"))),
        Arguments.of("5,001 tenants", Map.of("tenants", tenants(Segment.MAX_TENANTS + 1))),
        Arguments.of("51 conditions", Map.of("conditions", conditions(Segment.MAX_CONDITIONS + 1))),
        Arguments.of("101 values", Map.of("conditions", List.of(condition("plan", "in", values(Condition.MAX_VALUES + 1))))),
        Arguments.of("lt with two values", Map.of("conditions", List.of(condition("seats", "lt", List.of(1, 2))))),
        Arguments.of("lt with a string", Map.of("conditions", List.of(condition("seats", "lt", List.of("10"))))),
        Arguments.of("gte without a value", Map.of("conditions", List.of(condition("seats", "gte", List.of())))),
        Arguments.of("exists with values", Map.of("conditions", List.of(condition("plan", "exists", List.of("pro"))))),
        Arguments.of("in without values", Map.of("conditions", List.of(condition("plan", "in", List.of())))),
        Arguments.of("unknown op", Map.of("conditions", List.of(condition("plan", "like", List.of("pro"))))),
        Arguments.of("a value that is an object", Map.of("conditions", List.of(condition("plan", "in", List.of(Map.of()))))),
        Arguments.of("match neither all nor any", Map.of("match", "some")),
        Arguments.of("unknown key", Map.of("tenant", List.of(TENANT))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSegments")
  @DisplayName("Segment.of refuses")
  void badSegmentIsRefused(String why, Map<String, Object> json) {
    assertThatThrownBy(() -> Segment.of("beta", json)).as(why).isInstanceOf(InvalidDefinition.class);
  }

  @Test
  @DisplayName("Segment.of accepts the edges: 5,000 tenants, 50 conditions, 100 values")
  void segmentEdgesAreAccepted() {
    assertThat(Segment.of("s", Map.of("tenants", tenants(Segment.MAX_TENANTS))).tenants()).hasSize(Segment.MAX_TENANTS);
    assertThat(Segment.of("s", Map.of("conditions", conditions(Segment.MAX_CONDITIONS))).conditions())
        .hasSize(Segment.MAX_CONDITIONS);
    Segment hundred = Segment.of("s", Map.of("conditions", List.of(condition("plan", "in", values(Condition.MAX_VALUES)))));
    assertThat(hundred.conditions().get(0).values()).hasSize(Condition.MAX_VALUES);
  }

  static Stream<Arguments> badAttributes() {
    Map<String, Object> fiftyOne = new LinkedHashMap<>();
    for (int i = 0; i <= Attributes.MAX_COUNT; i++) {
      fiftyOne.put("a" + i, i);
    }
    return Stream.of(
        Arguments.of("51 attributes", fiftyOne),
        Arguments.of("a 257-character string", Map.of("plan", "p".repeat(Attributes.MAX_STRING + 1))),
        Arguments.of("a list with a number", Map.of("tags", List.of("a", 1))),
        Arguments.of("an object value", Map.of("address", Map.of("city", "Oslo"))),
        Arguments.of("a name starting with a digit", Map.of("1plan", "pro")),
        Arguments.of("a name with a space", Map.of("my plan", "pro")),
        Arguments.of("NaN", Map.of("seats", Double.NaN)),
        Arguments.of("infinity", Map.of("seats", Double.POSITIVE_INFINITY)),
        Arguments.of("null", Collections.singletonMap("plan", null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAttributes")
  @DisplayName("Attributes.of refuses")
  void badAttributesAreRefused(String why, Map<String, Object> json) {
    assertThatThrownBy(() -> Attributes.of(json)).as(why).isInstanceOf(InvalidDefinition.class);
  }

  @Test
  @DisplayName("Attributes.of accepts the edges: 50 attributes, 256 characters; and reads its own map back equal")
  void attributeEdgesAreAccepted() {
    Map<String, Object> fifty = new LinkedHashMap<>();
    for (int i = 0; i < Attributes.MAX_COUNT; i++) {
      fifty.put("a" + i, i);
    }
    assertThat(Attributes.of(fifty).asMap()).hasSize(Attributes.MAX_COUNT);
    Attributes mixed = Attributes.of(Map.of("plan", "p".repeat(Attributes.MAX_STRING), "seats", 12.5, "beta", true,
        "tags", List.of("eu", "gdpr"), "org.unit-1_a", "x"));
    assertThat(Attributes.of(mixed.asMap())).isEqualTo(mixed);
  }

  static Stream<Map<String, Object>> goodTargeting() {
    return Stream.of(
        Map.of(),
        Map.of("default", true),
        Map.of("rollout", Map.of("percentage", 12.5)),
        Map.of("rollout", Map.of("percentage", 0.01), "salt", "checkout-v2"),
        Map.of("default", true, "rules", List.of(Map.of("segment", "beta", "value", false),
            Map.of("segment", "staff", "value", true)), "rollout", Map.of("percentage", 100), "salt", "!~"));
  }

  @ParameterizedTest
  @MethodSource("goodTargeting")
  @DisplayName("a valid targeting reads back equal from its toJson()")
  void targetingRoundTrips(Map<String, Object> json) {
    Targeting targeting = Targeting.of(json);
    assertThat(Targeting.of(targeting.toJson())).isEqualTo(targeting);
  }

  @Test
  @DisplayName("Targeting.NONE reads back as itself")
  void noneRoundTrips() {
    assertThat(Targeting.of(Targeting.NONE.toJson())).isEqualTo(Targeting.NONE);
  }

  @Test
  @DisplayName("a valid segment reads back equal from its toJson() (less the 'name' it adds)")
  void segmentRoundTrips() {
    Segment segment = Segment.of("enterprise-eu", Map.of(
        "description", "Enterprise tenants in the EU,\nor listed by hand",
        "match", "any",
        "conditions", List.of(condition("plan", "in", List.of("enterprise", 10, true)), condition("seats", "gte", List.of(100)),
            condition("region", "not_exists", List.of()), condition("tags", "not_in", List.of("churned"))),
        "tenants", List.of(TENANT, "00000000-0000-0000-0000-000000000001")));
    Map<String, Object> json = new LinkedHashMap<>(segment.toJson());
    // toJson carries the name for API answers; Segment.of takes the name apart and refuses it as a key.
    assertThat(json.remove("name")).isEqualTo("enterprise-eu");
    assertThat(Segment.of("enterprise-eu", json)).isEqualTo(segment);
  }

  private static List<Map<String, Object>> rules(int count) {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rules.add(Map.of("segment", "s" + i, "value", i % 2 == 0));
    }
    return rules;
  }

  /** Distinct canonical UUIDs. */
  private static List<String> tenants(int count) {
    List<String> tenants = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tenants.add(new UUID(0x1234L, i).toString());
    }
    return tenants;
  }

  private static List<Map<String, Object>> conditions(int count) {
    List<Map<String, Object>> conditions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      conditions.add(condition("a" + i, "exists", List.of()));
    }
    return conditions;
  }

  private static List<Object> values(int count) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add("v" + i);
    }
    return values;
  }

  private static Map<String, Object> condition(String attribute, String op, List<?> values) {
    return Map.of("attribute", attribute, "op", op, "values", values);
  }
}
