package org.tenantfeatures.catalogue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.PlainJson;
import org.tenantfeatures.client.TenantInputs;
import org.tenantfeatures.client.TenantMap;
import org.tenantfeatures.evaluation.Attributes;
import org.tenantfeatures.evaluation.Evaluator;
import org.tenantfeatures.evaluation.InvalidDefinition;
import org.tenantfeatures.evaluation.Segment;
import org.tenantfeatures.evaluation.Targeting;

/**
 * The catalogue as one map read saw it: the flags (id, name, targeting) and the segments, under
 * the version the database gave them (table {@code catalogue_version}, replaced in every
 * transaction that adds, renames or removes a flag, changes a targeting or a segment), compiled
 * into an {@link Evaluator}. The database verticle keeps the last one it was sent and names its
 * version in each map read; the read sends the catalogue again only when the version moved. A
 * version is compared, never trusted by age: the catalogue a read uses is always the one whose
 * version that read returned.
 *
 * <p>Names are interned: every tenant's map then holds the same strings, and a cached map keeps the
 * catalogue's strings rather than copies of its own (names were a large share of a cached
 * tenant's heap: docs/BENCHMARKS.md, "Figures behind the code").
 */
public final class CatalogueCopy {

  /** A flag's row: its id, name and targeting ({@code null}: none). */
  public record FlagRow(long id, String name, JsonObject targeting) {
  }

  /** A segment's row: its name and definition. */
  public record SegmentRow(String name, JsonObject definition) {
  }

  /** Sent before any catalogue is known: no version the database makes (random UUIDs) equals it. */
  public static final CatalogueCopy NONE = new CatalogueCopy(null, List.of(), List.of());
  private static final UUID NO_VERSION = new UUID(0, 0);

  private final UUID version;
  /**
   * The flags and segments, compiled; its flags are in name order (sorted once per catalogue: an
   * ORDER BY costs PostgreSQL a sort per read), so every map's keys come in this order, and one
   * map is one body and one ETag on every node.
   */
  private final Evaluator evaluator;
  private final String[] names;
  private final Map<Long, Integer> positionById;

  private CatalogueCopy(UUID version, List<FlagRow> flags, List<SegmentRow> segmentRows) {
    this.version = version;
    List<Evaluator.Flag> definitions = new ArrayList<>(flags.size());
    List<Segment> segments = new ArrayList<>(segmentRows.size());
    try {
      for (FlagRow flag : flags) {
        definitions.add(new Evaluator.Flag(flag.name().intern(),
            flag.targeting() == null ? Targeting.NONE : Targeting.of(PlainJson.of(flag.targeting()))));
      }
      for (SegmentRow segment : segmentRows) {
        segments.add(Segment.of(segment.name(), PlainJson.of(segment.definition())));
      }
      this.evaluator = Evaluator.of(definitions, segments);
    } catch (InvalidDefinition | IllegalArgumentException e) {
      // Only SQL by hand can store these (the service checks what it writes): no map is answered
      // from a catalogue that cannot be read whole.
      throw new IllegalStateException("the catalogue cannot be evaluated: " + e.getMessage(), e);
    }
    this.names = new String[evaluator.size()];
    Map<String, Long> idByName = new HashMap<>(flags.size() * 4 / 3 + 1);
    flags.forEach(flag -> idByName.put(flag.name(), flag.id()));
    this.positionById = new HashMap<>(flags.size() * 4 / 3 + 1);
    for (int i = 0; i < names.length; i++) {
      names[i] = evaluator.name(i);
      positionById.put(idByName.get(names[i]), i);
    }
  }

  /** The catalogue a read returned, under the version it returned ({@code null}: none, keep nothing). */
  public static CatalogueCopy of(UUID version, List<FlagRow> flags, List<SegmentRow> segments) {
    return new CatalogueCopy(version, flags, segments);
  }

  /**
   * What a read sends as the version it holds. Without a version of its own (none yet, or the
   * database had lost its version row) it sends one that matches nothing, and gets the flags.
   */
  public UUID versionToSend() {
    return version == null ? NO_VERSION : version;
  }

  public UUID version() {
    return version;
  }

  /**
   * The tenant's whole map: every flag, in name order, decided by the {@link Evaluator} from the
   * tenant's overrides and attributes ({@code null}: a tenant without a record). The overrides
   * come from the same statement as this catalogue's version, so an id it does not know is a
   * broken invariant (the foreign key forbids it), never something to leave out.
   */
  public TenantMap map(String tenantId, TenantInputs inputs, long revision) {
    return map(tenantId, inputs, revision, true);
  }

  /**
   * As {@link #map(String, TenantInputs, long)}, with inputs read before this catalogue: an
   * override of a flag it no longer has is left out (the flag was deleted, and its overrides with
   * it, in the same transaction), never taken for another flag.
   */
  public TenantMap reevaluate(String tenantId, TenantInputs inputs, long revision) {
    return map(tenantId, inputs, revision, false);
  }

  private TenantMap map(String tenantId, TenantInputs inputs, long revision, boolean sameSnapshot) {
    long[] ids = inputs.flagIds();
    boolean[] enabled = inputs.enabled();
    int count = ids.length;
    boolean[] overridden = new boolean[names.length];
    boolean[] overrideValues = new boolean[names.length];
    for (int i = 0; i < count; i++) {
      Integer position = positionById.get(ids[i]);
      if (position == null) {
        if (sameSnapshot) {
          throw new IllegalStateException("override of flag id " + ids[i] + " missing from the catalogue read with it");
        }
        continue;
      }
      overrideValues[position] = enabled[i];
      overridden[position] = true;
    }
    Evaluator.Evaluation evaluation = evaluator.evaluate(tenantId, attributes(inputs.attributes()), overridden, overrideValues);
    boolean[] values = evaluation.values();
    // A LinkedHashMap: the only kind of map whose order the event bus's JsonObject.copy keeps (a
    // TreeMap was copied into a HashMap: OfrepStreamIT caught it).
    Map<String, Boolean> features = new LinkedHashMap<>(names.length * 4 / 3 + 1);
    List<String> overriddenNames = new ArrayList<>(count);
    Map<String, String> bySegment = Map.of();
    List<String> inRollout = List.of();
    for (int i = 0; i < names.length; i++) {
      features.put(names[i], values[i]);
      switch (evaluation.reason(i)) {
        case OVERRIDE -> overriddenNames.add(names[i]);
        case SEGMENT -> {
          bySegment = bySegment.isEmpty() ? new LinkedHashMap<>() : bySegment;
          bySegment.put(names[i], evaluator.decidingSegment(i, evaluation));
        }
        case ROLLOUT -> {
          inRollout = inRollout.isEmpty() ? new ArrayList<>() : inRollout;
          inRollout.add(names[i]);
        }
        default -> {
          // the default: nothing to name
        }
      }
    }
    return new TenantMap(tenantId, features, overriddenNames, bySegment, inRollout, revision, inputs);
  }

  /**
   * Why the tenant has its value of {@code flag}: {@code {flag, value, reason, segment, bucket,
   * percentage, revision, catalogueVersion}} from the same inputs its map is evaluated from; null
   * for a flag this catalogue does not have.
   */
  public JsonObject explain(String tenantId, String flag, TenantInputs inputs, long revision) {
    int position = evaluator.position(flag);
    if (position < 0) {
      return null;
    }
    Boolean override = null;
    for (int i = 0; i < inputs.flagIds().length; i++) {
      Integer at = positionById.get(inputs.flagIds()[i]);
      if (at != null && at == position) {
        override = inputs.enabled()[i];
      }
    }
    Evaluator.Decision decision = evaluator.explain(position, tenantId, attributes(inputs.attributes()), override);
    return new JsonObject()
        .put("flag", names[position])
        .put("value", decision.value())
        .put("reason", decision.reason().wire())
        .put("segment", decision.segment())
        .put("bucket", decision.bucket())
        .put("percentage", decision.rolloutBasisPoints() < 0 ? null : Targeting.percentage(decision.rolloutBasisPoints()))
        .put("revision", revision)
        .put("catalogueVersion", version == null ? null : version.toString());
  }

  /** The bus form of a catalogue read: {@code {version, flags: [{id, name, targeting}], segments: [{name, definition}]}}. */
  public static JsonObject toJson(UUID version, List<FlagRow> flags, List<SegmentRow> segments) {
    JsonArray flagArray = new JsonArray();
    flags.forEach(flag -> flagArray.add(new JsonObject().put("id", flag.id()).put(Fields.NAME, flag.name())
        .put(Fields.TARGETING, flag.targeting())));
    JsonArray segmentArray = new JsonArray();
    segments.forEach(segment -> segmentArray.add(new JsonObject().put(Fields.NAME, segment.name())
        .put(Fields.DEFINITION, segment.definition())));
    return new JsonObject().put(Fields.VERSION, version == null ? null : version.toString()).put(Fields.FLAGS, flagArray)
        .put(Fields.SEGMENTS, segmentArray);
  }

  /** From {@link #toJson}'s form. */
  public static CatalogueCopy fromJson(JsonObject json) {
    List<FlagRow> flags = new ArrayList<>();
    json.getJsonArray(Fields.FLAGS).forEach(f -> {
      JsonObject flag = (JsonObject) f;
      flags.add(new FlagRow(flag.getLong("id"), flag.getString(Fields.NAME), flag.getJsonObject(Fields.TARGETING)));
    });
    List<SegmentRow> segments = new ArrayList<>();
    json.getJsonArray(Fields.SEGMENTS).forEach(s -> {
      JsonObject segment = (JsonObject) s;
      segments.add(new SegmentRow(segment.getString(Fields.NAME), segment.getJsonObject(Fields.DEFINITION)));
    });
    String version = json.getString(Fields.VERSION);
    return of(version == null ? null : UUID.fromString(version), flags, segments);
  }

  public Evaluator evaluator() {
    return evaluator;
  }

  /** A tenant's attributes as stored ({@code null}: no record), read as the evaluator reads them. */
  public static Attributes attributes(JsonObject json) {
    if (json == null || json.isEmpty()) {
      // Most tenants have none: no conversion, no check, on the uncached read.
      return Attributes.NONE;
    }
    try {
      return Attributes.of(PlainJson.of(json));
    } catch (InvalidDefinition e) {
      throw new IllegalStateException("the tenant's attributes cannot be evaluated: " + e.getMessage(), e);
    }
  }
}
