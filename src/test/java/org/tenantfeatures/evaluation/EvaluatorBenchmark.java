package org.tenantfeatures.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What evaluating one tenant's map costs (issue 21's figure: a 50-flag map with 20 segment rules
 * and rollouts under 10 µs): 50 flags, 20 of them with a rule over one of 10 segments (2 to 3
 * conditions each, over strings, numbers, booleans and a list), 30 with a rollout, 5 overridden;
 * 1,024 tenants with 5 attributes each, taken in turn. Run by {@code scripts/bench-evaluator.sh},
 * which prints JMH's figures; not a test (JMH measures, JUnit would only time).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EvaluatorBenchmark {

  private static final int TENANTS = 1024;

  private Evaluator evaluator;
  private final String[] tenants = new String[TENANTS];
  private final Attributes[] attributes = new Attributes[TENANTS];
  private boolean[] overridden;
  private boolean[] overrideValues;
  private int next;

  @Setup
  public void setUp() {
    Random random = new Random(21);
    List<Segment> segments = new ArrayList<>();
    String[] plans = {"free", "team", "business", "enterprise"};
    String[] regions = {"eu", "us", "apac"};
    for (int s = 0; s < 10; s++) {
      List<Object> conditions = new ArrayList<>();
      conditions.add(Map.of("attribute", "plan", "op", "in", "values", List.of(plans[s % 4], plans[(s + 1) % 4])));
      conditions.add(Map.of("attribute", "seats", "op", s % 2 == 0 ? "gte" : "lt", "values", List.of(50 + s * 10)));
      if (s % 3 == 0) {
        conditions.add(Map.of("attribute", "tags", "op", "in", "values", List.of("beta", "canary")));
      }
      segments.add(Segment.of("segment_" + s, Map.of("match", s % 2 == 0 ? "all" : "any", "conditions", conditions)));
    }
    List<Evaluator.Flag> flags = new ArrayList<>();
    for (int f = 0; f < 50; f++) {
      Map<String, Object> targeting = f < 20
          ? Map.of("rules", List.of(Map.of("segment", "segment_" + (f % 10), "value", true)), "rollout", Map.of("percentage", 10 + f))
          : Map.of("rollout", Map.of("percentage", f), "default", f % 2 == 0);
      flags.add(new Evaluator.Flag(String.format("flag_%03d", f), Targeting.of(targeting)));
    }
    evaluator = Evaluator.of(flags, segments);
    for (int t = 0; t < TENANTS; t++) {
      tenants[t] = new UUID(random.nextLong(), random.nextLong()).toString();
      attributes[t] = Attributes.of(Map.of("plan", plans[random.nextInt(4)], "region", regions[random.nextInt(3)],
          "seats", random.nextInt(500), "beta", random.nextBoolean(), "tags", random.nextBoolean() ? List.of("beta") : List.of("stable")));
    }
    overridden = new boolean[50];
    overrideValues = new boolean[50];
    for (int f = 0; f < 50; f += 10) {
      overridden[f] = true;
      overrideValues[f] = f % 20 == 0;
    }
  }

  @Benchmark
  public Evaluator.Evaluation evaluateMap() {
    int t = next++ & (TENANTS - 1);
    return evaluator.evaluate(tenants[t], attributes[t], overridden, overrideValues);
  }
}
