package org.tenantfeatures.evaluation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags of one catalogue with their targeting and the segments they name, compiled for
 * evaluating tenants: segment names resolved to positions, salts encoded once. Pure and
 * immutable, shared by every thread; one evaluation allocates only its answer and two small
 * work arrays.
 *
 * <p>A tenant's value of a flag is decided by the first of: its override; the first rule whose
 * segment contains it; the rollout, when its bucket is below the percentage; the default. A rule
 * naming a segment the catalogue does not hold (one deleted by hand in SQL: the API refuses to
 * delete a segment in use) matches no tenant.
 */
public final class Evaluator {

  /** A flag and its targeting ({@link Targeting#NONE} if it has none). */
  public record Flag(String name, Targeting targeting) {
  }

  public static final Evaluator EMPTY = of(List.of(), List.of());

  private final String[] names;
  private final Targeting[] targeting;
  private final int[][] ruleSegments;
  private final boolean[][] ruleValues;
  /** {@code <salt>:} of each flag, UTF-8. */
  private final byte[][] saltPrefixes;
  private final Segment[] segments;
  private final Map<String, Integer> positions;
  private final int longestPrefix;

  private Evaluator(List<Flag> flags, List<Segment> segmentList) {
    List<Flag> sorted = new ArrayList<>(flags);
    sorted.sort(Comparator.comparing(Flag::name));
    int n = sorted.size();
    names = new String[n];
    targeting = new Targeting[n];
    ruleSegments = new int[n][];
    ruleValues = new boolean[n][];
    saltPrefixes = new byte[n][];
    segments = segmentList.toArray(Segment[]::new);
    Map<String, Integer> segmentPositions = new HashMap<>();
    for (int i = 0; i < segments.length; i++) {
      segmentPositions.put(segments[i].name(), i);
    }
    positions = new HashMap<>(n * 4 / 3 + 1);
    int longest = 0;
    for (int i = 0; i < n; i++) {
      Flag flag = sorted.get(i);
      names[i] = flag.name();
      if (positions.put(flag.name(), i) != null) {
        throw new IllegalArgumentException("flag " + flag.name() + " twice in one catalogue");
      }
      Targeting t = flag.targeting() == null ? Targeting.NONE : flag.targeting();
      targeting[i] = t;
      List<Targeting.Rule> rules = t.rules();
      ruleSegments[i] = new int[rules.size()];
      ruleValues[i] = new boolean[rules.size()];
      for (int r = 0; r < rules.size(); r++) {
        ruleSegments[i][r] = segmentPositions.getOrDefault(rules.get(r).segment(), -1);
        ruleValues[i][r] = rules.get(r).value();
      }
      saltPrefixes[i] = ((t.salt() == null ? flag.name() : t.salt()) + ":").getBytes(StandardCharsets.UTF_8);
      longest = Math.max(longest, saltPrefixes[i].length);
    }
    longestPrefix = longest;
  }

  /** The flags (any order; evaluated in name order) and the segments their rules may name. */
  public static Evaluator of(List<Flag> flags, List<Segment> segments) {
    return new Evaluator(flags, segments);
  }

  public int size() {
    return names.length;
  }

  public String name(int flag) {
    return names[flag];
  }

  /** The flag's position in name order, or -1. */
  public int position(String name) {
    Integer at = positions.get(name);
    return at == null ? -1 : at;
  }

  /**
   * Every flag's value and reason for the tenant: {@code overridden[i]} says whether the tenant
   * overrides flag {@code i}, to {@code overrideValues[i]}.
   */
  public Evaluation evaluate(String tenantId, Attributes attributes, boolean[] overridden, boolean[] overrideValues) {
    Work work = new Work(tenantId, attributes);
    boolean[] values = new boolean[names.length];
    byte[] reasons = new byte[names.length];
    byte[] rules = null;
    for (int i = 0; i < names.length; i++) {
      if (overridden[i]) {
        values[i] = overrideValues[i];
        reasons[i] = (byte) Reason.OVERRIDE.ordinal();
        continue;
      }
      int rule = firstRule(i, work);
      if (rule >= 0) {
        values[i] = ruleValues[i][rule];
        reasons[i] = (byte) Reason.SEGMENT.ordinal();
        if (rules == null) {
          rules = new byte[names.length];
        }
        rules[i] = (byte) rule;
      } else if (inRollout(i, work)) {
        values[i] = true;
        reasons[i] = (byte) Reason.ROLLOUT.ordinal();
      } else {
        values[i] = targeting[i].defaultValue();
        reasons[i] = (byte) Reason.DEFAULT.ordinal();
      }
    }
    return new Evaluation(values, reasons, rules);
  }

  /** The segment of the rule that decided flag {@code flag} in {@code evaluation}, whose reason is {@link Reason#SEGMENT}. */
  public String decidingSegment(int flag, Evaluation evaluation) {
    return targeting[flag].rules().get(evaluation.rules()[flag]).segment();
  }

  /** Why the tenant has its value of one flag, {@code override} its override or null. */
  public Decision explain(int flag, String tenantId, Attributes attributes, Boolean override) {
    Targeting t = targeting[flag];
    Work work = new Work(tenantId, attributes);
    int bucket = bucket(flag, work);
    if (override != null) {
      return new Decision(override, Reason.OVERRIDE, null, bucket, t.rolloutBasisPoints());
    }
    int rule = firstRule(flag, work);
    if (rule >= 0) {
      return new Decision(ruleValues[flag][rule], Reason.SEGMENT, t.rules().get(rule).segment(), bucket, t.rolloutBasisPoints());
    }
    if (inRollout(flag, work)) {
      return new Decision(true, Reason.ROLLOUT, null, bucket, t.rolloutBasisPoints());
    }
    return new Decision(t.defaultValue(), Reason.DEFAULT, null, bucket, t.rolloutBasisPoints());
  }

  private int firstRule(int flag, Work work) {
    int[] rules = ruleSegments[flag];
    for (int r = 0; r < rules.length; r++) {
      if (rules[r] >= 0 && work.inSegment(rules[r])) {
        return r;
      }
    }
    return -1;
  }

  private boolean inRollout(int flag, Work work) {
    int basisPoints = targeting[flag].rolloutBasisPoints();
    return basisPoints > 0 && bucket(flag, work) < basisPoints;
  }

  private int bucket(int flag, Work work) {
    byte[] prefix = saltPrefixes[flag];
    byte[] key = work.key();
    byte[] tenant = work.tenantBytes();
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    System.arraycopy(tenant, 0, key, prefix.length, tenant.length);
    return Bucket.of(key, prefix.length + tenant.length);
  }

  /** One evaluation's state: which segments hold the tenant (asked once each), and the bucket key's buffer. */
  private final class Work {
    private final String tenantId;
    private final Attributes attributes;
    private byte[] tenantBytes;
    private byte[] membership;
    private byte[] key;

    Work(String tenantId, Attributes attributes) {
      this.tenantId = tenantId;
      this.attributes = attributes;
    }

    boolean inSegment(int segment) {
      if (membership == null) {
        membership = new byte[segments.length];
      }
      if (membership[segment] == 0) {
        membership[segment] = segments[segment].contains(tenantId, attributes) ? (byte) 2 : (byte) 1;
      }
      return membership[segment] == 2;
    }

    /** The tenant id's UTF-8 bytes, encoded once, and only for a tenant some rollout asks about. */
    byte[] tenantBytes() {
      if (tenantBytes == null) {
        tenantBytes = tenantId.getBytes(StandardCharsets.UTF_8);
      }
      return tenantBytes;
    }

    byte[] key() {
      if (key == null) {
        key = new byte[longestPrefix + tenantBytes().length];
      }
      return key;
    }
  }

  /**
   * Values and reasons of every flag, by position, and for a flag a rule decided the rule's
   * position ({@code rules} is null when no rule decided any).
   */
  public record Evaluation(boolean[] values, byte[] reasons, byte[] rules) {

    public Reason reason(int flag) {
      return REASONS[reasons[flag]];
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Evaluation e && Arrays.equals(e.values, values) && Arrays.equals(e.reasons, reasons)
          && Arrays.equals(e.rules, rules);
    }

    @Override
    public int hashCode() {
      return (Arrays.hashCode(values) * 31 + Arrays.hashCode(reasons)) * 31 + Arrays.hashCode(rules);
    }

    @Override
    public String toString() {
      return Arrays.toString(values) + Arrays.toString(reasons);
    }
  }

  private static final Reason[] REASONS = Reason.values();

  /**
   * One flag's value for one tenant and why: the deciding segment for {@link Reason#SEGMENT}; the
   * tenant's bucket always, and the rollout's percentage in hundredths (-1 without a rollout).
   */
  public record Decision(boolean value, Reason reason, String segment, int bucket, int rolloutBasisPoints) {
  }
}
