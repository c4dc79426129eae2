package org.tenantfeatures.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.WithNull;
import net.jqwik.api.statistics.Statistics;
import org.tenantfeatures.evaluation.EvaluationArbitraries.Catalogue;
import org.tenantfeatures.evaluation.EvaluationArbitraries.Tenant;
import org.tenantfeatures.tools.loadgen.ReferenceEvaluator;

/**
 * Properties of the evaluator. The differential property holds it to {@link ReferenceEvaluator},
 * a plain reading of the rules, over random catalogues; the rollout properties check what the
 * bucket promises: stickiness, a share that matches the percentage, and independence between flags.
 */
class EvaluatorPropertiesTest {

  /** Tenants in the statistical properties: the share's standard deviation is then at most 0.16 points, so ±1 point is > 6 sigma. */
  private static final int TENANTS = 100_000;

  @Property(tries = 1_000)
  void evaluatorAgreesWithTheReference(@ForAll("catalogues") Catalogue catalogue,
      @ForAll @Size(min = 1, max = 4) List<@From("tenants") Tenant> tenants) {
    Evaluator evaluator = production(catalogue);
    List<String> flagNames = new ArrayList<>(catalogue.flags().keySet());
    assertThat(evaluator.size()).isEqualTo(flagNames.size());
    for (Tenant tenant : tenants) {
      Map<String, Boolean> overrides = new LinkedHashMap<>();
      for (int i = 0; i < flagNames.size(); i++) {
        if (tenant.overrides().get(i) != null) {
          overrides.put(flagNames.get(i), tenant.overrides().get(i));
        }
      }
      Map<String, ReferenceEvaluator.Result> expected =
          ReferenceEvaluator.evaluate(catalogue.flags(), catalogue.segments(), tenant.id(), tenant.attributes(), overrides);

      boolean[] overridden = new boolean[evaluator.size()];
      boolean[] overrideValues = new boolean[evaluator.size()];
      overrides.forEach((name, value) -> {
        overridden[evaluator.position(name)] = true;
        overrideValues[evaluator.position(name)] = value;
      });
      Attributes attributes = Attributes.of(tenant.attributes());
      Evaluator.Evaluation evaluation = evaluator.evaluate(tenant.id(), attributes, overridden, overrideValues);

      // The whole answer at once, so a failure prints every flag of the tenant side by side.
      Map<String, String> fromEvaluate = new LinkedHashMap<>();
      Map<String, ReferenceEvaluator.Result> fromExplain = new LinkedHashMap<>();
      Map<String, String> expectedAnswers = new LinkedHashMap<>();
      for (int i = 0; i < evaluator.size(); i++) {
        String name = evaluator.name(i);
        fromEvaluate.put(name, evaluation.values()[i] + " " + evaluation.reason(i));
        Evaluator.Decision decision = evaluator.explain(i, tenant.id(), attributes, overrides.get(name));
        fromExplain.put(name, new ReferenceEvaluator.Result(decision.value(), decision.reason(), decision.segment()));
        expectedAnswers.put(name, expected.get(name).value() + " " + expected.get(name).reason());
        Statistics.label("reason").collect(expected.get(name).reason());

        Map<String, Object> targeting = catalogue.flags().get(name);
        assertThat(decision.bucket()).as("bucket of %s for %s", name, tenant.id())
            .isEqualTo(ReferenceEvaluator.bucket(ReferenceEvaluator.salt(name, targeting), tenant.id()));
        assertThat(decision.rolloutBasisPoints()).as("rollout of %s", name).isEqualTo(basisPoints(targeting));
      }
      assertThat(fromEvaluate).as("evaluate for tenant %s", tenant).isEqualTo(expectedAnswers);
      assertThat(fromExplain).as("explain for tenant %s", tenant).isEqualTo(expected);
    }
    // The generators must reach every step of the rules, or agreement would prove little.
    Statistics.label("reason").coverage(checker -> {
      for (Reason reason : Reason.values()) {
        checker.check(reason).percentage(p -> p > 5);
      }
    });
  }

  @Property(tries = 200)
  void raisingThePercentageNeverTakesTheFlagAwayFromATenant(@ForAll("flagNames") String flag,
      @ForAll("salts") @WithNull(0.5) String salt, @ForAll @IntRange(max = 10_000) int a, @ForAll @IntRange(max = 10_000) int b,
      @ForAll @Size(min = 1, max = 100) List<@From("tenantIds") String> tenants) {
    int lower = Math.min(a, b);
    int higher = Math.max(a, b);
    Evaluator atLower = rollout(flag, salt, lower);
    Evaluator atHigher = rollout(flag, salt, higher);
    for (String tenant : tenants) {
      boolean before = valueOf(atLower, tenant);
      boolean after = valueOf(atHigher, tenant);
      // Raising never turns true to false; read backwards, lowering never turns false to true.
      assertThat(!before || after).as("tenant %s at %d then %d hundredths", tenant, lower, higher).isTrue();
      // And the tenants it adds are exactly those whose bucket lies in [lower, higher).
      int bucket = Bucket.of(salt == null ? flag : salt, tenant);
      assertThat(!before && after).as("tenant %s (bucket %d) gained", tenant, bucket)
          .isEqualTo(bucket >= lower && bucket < higher);
    }
  }

  @Property(tries = 10)
  void theShareInTheRolloutIsThePercentage(@ForAll long seed, @ForAll("percentages") Number percentage,
      @ForAll("flagNames") String flag) {
    Evaluator evaluator = Evaluator.of(List.of(new Evaluator.Flag(flag, Targeting.of(Map.of("rollout", Map.of("percentage", percentage))))),
        List.of());
    Random random = new Random(seed);
    int inRollout = 0;
    for (int i = 0; i < TENANTS; i++) {
      if (valueOf(evaluator, EvaluationArbitraries.randomUuid(random))) {
        inRollout++;
      }
    }
    double sharePoints = 100.0 * inRollout / TENANTS;
    assertThat(sharePoints).as("share at %s %%", percentage).isBetween(percentage.doubleValue() - 1, percentage.doubleValue() + 1);
  }

  @Example
  void twoFlagsAtFiftyPercentAreBothOnForAQuarterOfTenants() {
    assertThat(bothOnPoints("checkout", 5_000, "dark-mode", 5_000, 1L)).isBetween(24.0, 26.0);
  }

  @Property(tries = 10)
  void twoFlagsSplitTenantsIndependently(@ForAll("flagNames") String first, @ForAll("flagNames") String second,
      @ForAll @IntRange(max = 10_000) int p, @ForAll @IntRange(max = 10_000) int q, @ForAll long seed) {
    // Two flags with one salt are the same split by design; independence is promised only between salts.
    Assume.that(!first.equals(second));
    double expectedPoints = 100.0 * (p / 10_000.0) * (q / 10_000.0);
    assertThat(bothOnPoints(first, p, second, q, seed)).isBetween(expectedPoints - 1, expectedPoints + 1);
  }

  /** The share of {@link #TENANTS} random tenants, in percentage points, that have both flags on. */
  private static double bothOnPoints(String first, int p, String second, int q, long seed) {
    Evaluator evaluator = Evaluator.of(List.of(
        new Evaluator.Flag(first, Targeting.of(Map.of("rollout", Map.of("percentage", EvaluationArbitraries.percentage(p, 2))))),
        new Evaluator.Flag(second, Targeting.of(Map.of("rollout", Map.of("percentage", EvaluationArbitraries.percentage(q, 2)))))),
        List.of());
    boolean[] none = new boolean[2];
    Random random = new Random(seed);
    int both = 0;
    for (int i = 0; i < TENANTS; i++) {
      boolean[] values = evaluator.evaluate(EvaluationArbitraries.randomUuid(random), Attributes.NONE, none, none).values();
      if (values[0] && values[1]) {
        both++;
      }
    }
    return 100.0 * both / TENANTS;
  }

  /** The production evaluator, from the same JSON the reference reads; an empty targeting as a flag without one. */
  private static Evaluator production(Catalogue catalogue) {
    List<Evaluator.Flag> flags = new ArrayList<>();
    catalogue.flags().forEach((name, json) -> flags.add(new Evaluator.Flag(name, json.isEmpty() ? null : Targeting.of(json))));
    List<Segment> segments = new ArrayList<>();
    catalogue.segments().forEach((name, json) -> segments.add(Segment.of(name, json)));
    return Evaluator.of(flags, segments);
  }

  private static Evaluator rollout(String flag, String salt, int hundredths) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("rollout", Map.of("percentage", EvaluationArbitraries.percentage(hundredths, 2)));
    if (salt != null) {
      json.put("salt", salt);
    }
    return Evaluator.of(List.of(new Evaluator.Flag(flag, Targeting.of(json))), List.of());
  }

  private static boolean valueOf(Evaluator oneFlag, String tenant) {
    boolean[] none = new boolean[1];
    return oneFlag.evaluate(tenant, Attributes.NONE, none, none).values()[0];
  }

  /** The rollout's percentage in hundredths, or -1 without one, read from the JSON as the spec states it. */
  private static int basisPoints(Map<String, Object> targeting) {
    Map<?, ?> rollout = (Map<?, ?>) targeting.get("rollout");
    if (rollout == null) {
      return -1;
    }
    return new BigDecimal(rollout.get("percentage").toString()).movePointRight(2).intValueExact();
  }

  @Provide
  Arbitrary<Catalogue> catalogues() {
    return EvaluationArbitraries.catalogues();
  }

  @Provide
  Arbitrary<Tenant> tenants() {
    return EvaluationArbitraries.tenants();
  }

  @Provide
  Arbitrary<String> flagNames() {
    return EvaluationArbitraries.flagNames();
  }

  @Provide
  Arbitrary<String> salts() {
    return EvaluationArbitraries.salts();
  }

  @Provide
  Arbitrary<String> tenantIds() {
    return EvaluationArbitraries.tenantIds();
  }

  @Provide
  Arbitrary<Number> percentages() {
    return EvaluationArbitraries.percentages();
  }
}
