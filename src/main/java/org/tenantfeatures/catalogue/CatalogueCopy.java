package org.tenantfeatures.db.read;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tenantfeatures.client.PlainJson;
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
final class CatalogueCopy {

  /** A flag's row: its id, name and targeting ({@code null}: none). */
  record FlagRow(long id, String name, JsonObject targeting) {
  }

  /** A segment's row: its name and definition. */
  record SegmentRow(String name, JsonObject definition) {
  }

  /** Sent before any catalogue is known: no version the database makes (random UUIDs) equals it. */
  static final CatalogueCopy NONE = new CatalogueCopy(null, List.of(), List.of());
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
  static CatalogueCopy of(UUID version, List<FlagRow> flags, List<SegmentRow> segments) {
    return new CatalogueCopy(version, flags, segments);
  }

  /**
   * What a read sends as the version it holds. Without a version of its own (none yet, or the
   * database had lost its version row) it sends one that matches nothing, and gets the flags.
   */
  UUID versionToSend() {
    return version == null ? NO_VERSION : version;
  }

  UUID version() {
    return version;
  }

  /**
   * The tenant's whole map: every flag, in name order, decided by the {@link Evaluator} from the
   * tenant's overrides and attributes ({@code null}: a tenant without a record). The overrides
   * come from the same statement as this catalogue's version, so an id it does not know is a
   * broken invariant (the foreign key forbids it), never something to leave out.
   */
  TenantMap map(String tenantId, long[] ids, boolean[] enabled, int count, long revision, JsonObject attributes) {
    boolean[] overridden = new boolean[names.length];
    boolean[] overrideValues = new boolean[names.length];
    for (int i = 0; i < count; i++) {
      Integer position = positionById.get(ids[i]);
      if (position == null) {
        throw new IllegalStateException("override of flag id " + ids[i] + " missing from the catalogue read with it");
      }
      overrideValues[position] = enabled[i];
      overridden[position] = true;
    }
    Evaluator.Evaluation evaluation = evaluator.evaluate(tenantId, attributes(attributes), overridden, overrideValues);
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
    return new TenantMap(tenantId, features, overriddenNames, bySegment, inRollout, revision);
  }

  /**
   * Why the tenant has its value of {@code flag}: {@code {flag, value, reason, segment, bucket,
   * percentage, revision, catalogueVersion}} from the same inputs its map is evaluated from; null
   * for a flag this catalogue does not have.
   */
  JsonObject explain(String tenantId, String flag, RowMappers.Inputs inputs) {
    int position = evaluator.position(flag);
    if (position < 0) {
      return null;
    }
    Boolean override = null;
    for (int i = 0; i < inputs.count(); i++) {
      Integer at = positionById.get(inputs.ids()[i]);
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
        .put("revision", inputs.revision())
        .put("catalogueVersion", version == null ? null : version.toString());
  }

  Evaluator evaluator() {
    return evaluator;
  }

  /** A tenant's attributes as stored ({@code null}: no record), read as the evaluator reads them. */
  static Attributes attributes(JsonObject json) {
    if (json == null) {
      return Attributes.NONE;
    }
    try {
      return Attributes.of(PlainJson.of(json));
    } catch (InvalidDefinition e) {
      throw new IllegalStateException("the tenant's attributes cannot be evaluated: " + e.getMessage(), e);
    }
  }
}
