package org.tenantfeatures.tools.loadgen;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tenantfeatures.evaluation.Reason;

/**
 * A second, deliberately plain evaluator of the flag rules, written from the specification and
 * not from {@code evaluation.Evaluator}: it reads the JSON-like forms directly (no parsing into
 * records, no caching, no precomputed salts) so that each step can be checked against the rules
 * by reading. It is the truth the verifying load generator ({@link DataSet#map}) and the tests
 * hold the service to, and the differential property test holds the production evaluator to it.
 * Its MurmurHash3 is written out here from the algorithm's public-domain reference, not the
 * commons-codec one the service uses, so a bug in either shows as a difference (BucketTest holds
 * both to the published vectors and to Guava's).
 */
public final class ReferenceEvaluator {

  /** One flag's answer; {@code segment} is the deciding rule's segment, else null. */
  public record Result(boolean value, Reason reason, String segment) {
  }

  private ReferenceEvaluator() {
  }

  /**
   * Every flag's answer for one tenant.
   *
   * @param flags targeting JSON by flag name (an empty map is a flag without targeting)
   * @param segments segment JSON by segment name
   * @param overrides the tenant's overrides by flag name (a flag absent here is not overridden)
   */
  public static Map<String, Result> evaluate(Map<String, Map<String, Object>> flags, Map<String, Map<String, Object>> segments,
      String tenantId, Map<String, Object> attributes, Map<String, Boolean> overrides) {
    Map<String, Result> results = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Object>> flag : flags.entrySet()) {
      String name = flag.getKey();
      results.put(name, evaluateFlag(name, flag.getValue(), segments, tenantId, attributes, overrides.get(name)));
    }
    return results;
  }

  /** Rule 1 to 4 of the specification, in that order; {@code override} null when there is none. */
  public static Result evaluateFlag(String flagName, Map<String, Object> targeting, Map<String, Map<String, Object>> segments,
      String tenantId, Map<String, Object> attributes, Boolean override) {
    // 1. The tenant's override.
    if (override != null) {
      return new Result(override, Reason.OVERRIDE, null);
    }
    // 2. The first rule, in order, whose segment contains the tenant. A missing segment contains nobody.
    List<?> rules = (List<?>) targeting.getOrDefault("rules", List.of());
    for (Object rawRule : rules) {
      Map<?, ?> rule = (Map<?, ?>) rawRule;
      String segmentName = (String) rule.get("segment");
      Map<String, Object> segment = segments.get(segmentName);
      if (segment != null && inSegment(segment, tenantId, attributes)) {
        return new Result((Boolean) rule.get("value"), Reason.SEGMENT, segmentName);
      }
    }
    // 3. The rollout: true when bucket < percentage * 100 (exact decimal arithmetic, no rounding).
    Map<?, ?> rollout = (Map<?, ?>) targeting.get("rollout");
    if (rollout != null) {
      BigDecimal hundredths = new BigDecimal(rollout.get("percentage").toString()).movePointRight(2);
      int bucket = bucket(salt(flagName, targeting), tenantId);
      if (BigDecimal.valueOf(bucket).compareTo(hundredths) < 0) {
        return new Result(true, Reason.ROLLOUT, null);
      }
    }
    // 4. The default, false unless set.
    boolean defaultValue = (Boolean) targeting.getOrDefault("default", Boolean.FALSE);
    return new Result(defaultValue, Reason.DEFAULT, null);
  }

  /** The salt is the targeting's "salt", else the flag's name. */
  public static String salt(String flagName, Map<String, Object> targeting) {
    return targeting.containsKey("salt") ? (String) targeting.get("salt") : flagName;
  }

  /** MurmurHash3 x86 32-bit, seed 0, of UTF-8 {@code <salt>:<tenant id>}, unsigned, modulo 10,000. */
  public static int bucket(String salt, String tenantId) {
    byte[] bytes = (salt + ":" + tenantId).getBytes(StandardCharsets.UTF_8);
    int hash = murmur3x86x32(bytes);
    long unsigned = hash & 0xFFFFFFFFL;
    return (int) (unsigned % 10_000);
  }

  /** MurmurHash3_x86_32 with seed 0, as Austin Appleby's reference (MurmurHash3.cpp) writes it. */
  public static int murmur3x86x32(byte[] data) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h1 = 0;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int k1 = (data[4 * i] & 0xff) | (data[4 * i + 1] & 0xff) << 8 | (data[4 * i + 2] & 0xff) << 16 | (data[4 * i + 3] & 0xff) << 24;
      k1 *= c1;
      k1 = Integer.rotateLeft(k1, 15);
      k1 *= c2;
      h1 ^= k1;
      h1 = Integer.rotateLeft(h1, 13);
      h1 = h1 * 5 + 0xe6546b64;
    }
    int tail = blocks * 4;
    int k1 = 0;
    switch (data.length & 3) {
      case 3:
        k1 ^= (data[tail + 2] & 0xff) << 16;
        // fall through
      case 2:
        k1 ^= (data[tail + 1] & 0xff) << 8;
        // fall through
      case 1:
        k1 ^= data[tail] & 0xff;
        k1 *= c1;
        k1 = Integer.rotateLeft(k1, 15);
        k1 *= c2;
        h1 ^= k1;
        break;
      default:
        break;
    }
    h1 ^= data.length;
    h1 ^= h1 >>> 16;
    h1 *= 0x85ebca6b;
    h1 ^= h1 >>> 13;
    h1 *= 0xc2b2ae35;
    h1 ^= h1 >>> 16;
    return h1;
  }

  /** Listed by id, or (with at least one condition) meeting all conditions ("all", the default) or any ("any"). */
  public static boolean inSegment(Map<String, Object> segment, String tenantId, Map<String, Object> attributes) {
    List<?> tenants = (List<?>) segment.getOrDefault("tenants", List.of());
    if (tenants.contains(tenantId)) {
      return true;
    }
    List<?> conditions = (List<?>) segment.getOrDefault("conditions", List.of());
    if (conditions.isEmpty()) {
      return false;
    }
    boolean matchAny = "any".equals(segment.get("match"));
    int met = 0;
    for (Object condition : conditions) {
      if (conditionHolds((Map<?, ?>) condition, attributes)) {
        met++;
      }
    }
    if (matchAny) {
      return met >= 1;
    }
    return met == conditions.size();
  }

  static boolean conditionHolds(Map<?, ?> condition, Map<String, Object> attributes) {
    String op = (String) condition.get("op");
    Object attribute = attributes.get((String) condition.get("attribute"));
    List<?> values = (List<?>) condition.get("values");
    if (values == null) {
      values = List.of();
    }
    switch (op) {
      case "exists":
        return attribute != null;
      case "not_exists":
        return attribute == null;
      case "in":
        return isIn(attribute, values);
      case "not_in":
        return !isIn(attribute, values);
      default:
        break;
    }
    // lt, lte, gt, gte: the attribute must be a number; the condition has exactly one number.
    if (!(attribute instanceof Number)) {
      return false;
    }
    double actual = ((Number) attribute).doubleValue();
    double bound = ((Number) values.get(0)).doubleValue();
    switch (op) {
      case "lt":
        return actual < bound;
      case "lte":
        return actual <= bound;
      case "gt":
        return actual > bound;
      case "gte":
        return actual >= bound;
      default:
        throw new IllegalArgumentException("unknown op " + op);
    }
  }

  /** The attribute (or, for a list, one of its strings) equals one of the values, kind for kind. */
  private static boolean isIn(Object attribute, List<?> values) {
    if (attribute == null) {
      return false;
    }
    if (attribute instanceof List<?> strings) {
      for (Object s : strings) {
        for (Object value : values) {
          if (sameKindAndEqual(s, value)) {
            return true;
          }
        }
      }
      return false;
    }
    for (Object value : values) {
      if (sameKindAndEqual(attribute, value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameKindAndEqual(Object a, Object b) {
    if (a instanceof String && b instanceof String) {
      return a.equals(b);
    }
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    if (a instanceof Boolean && b instanceof Boolean) {
      return a.equals(b);
    }
    return false;
  }
}
