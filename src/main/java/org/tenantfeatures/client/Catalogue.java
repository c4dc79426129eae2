package org.tenantfeatures.client;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The flags, global to all tenants. Changes run in one transaction with their audit rows, never retried. */
public interface Catalogue {

  /**
   * The whole catalogue as the evaluator reads it, from one snapshot: {@code {version, flags:
   * [{id, name, targeting (null: none)}], segments: [{name, definition}]}}. A node re-evaluates its
   * cached tenants' maps with it when the catalogue changes.
   */
  Future<JsonObject> catalogue(Call call);

  /** {@code {flags: [{name, description}, ...]}} by name. */
  Future<JsonObject> listFlags(Call call);

  /** {@code {name, description, overrides}}: the flag and how many tenants override it; {@link FailureCode#NOT_FOUND} if none. */
  Future<JsonObject> getFlag(String name, Call call);

  /** A change of the catalogue; the answer is the flag ({@code {name, description}}, or {@code {name}} once deleted). */
  Future<JsonObject> writeFlag(FlagChange change, String name, String description, String actor, Call call);

  /**
   * Replaces the flag's targeting ({@code evaluation.Targeting}'s JSON form) and answers
   * {@code {name, targeting}}: {@link FailureCode#NOT_FOUND} for an unknown flag,
   * {@link FailureCode#RULE_SEGMENT_MISSING} for a rule naming a segment that does not exist.
   */
  Future<JsonObject> setTargeting(String flag, JsonObject targeting, String actor, Call call);

  /**
   * Who has the flag: {@code {flag, known, counts: {"true": {override, segment, rollout, default},
   * "false": {...}}, tenants: [{tenantId, name, value, reason}], next}}, every known tenant counted
   * and a page of those after {@code after} with {@code value} and {@code reason} (null: any).
   */
  Future<JsonObject> population(String flag, Boolean value, String reason, String after, int limit, Call call);

  /**
   * What replacing the flag's targeting by {@code targeting} would change, nothing written:
   * {@code {flag, known, changes, toTrue, toFalse, tenants: [{tenantId, name, before, after}]}}
   * (the first {@code limit} changed tenants).
   */
  Future<JsonObject> previewTargeting(String flag, JsonObject targeting, int limit, Call call);

  /** {@code {segments: [{name, description, match, conditions, tenants}, ...]}} by name: counts, not the lists. */
  Future<JsonObject> listSegments(Call call);

  /** The segment ({@code {name, description, match, conditions, tenants}}) and {@code flags} using it; {@link FailureCode#UNKNOWN_SEGMENT}. */
  Future<JsonObject> getSegment(String name, Call call);

  /** Creates or replaces the segment ({@code evaluation.Segment}'s JSON form without its name); answers it. */
  Future<JsonObject> putSegment(String name, JsonObject definition, String actor, Call call);

  /** Deletes the segment: {@link FailureCode#SEGMENT_IN_USE} while a flag's rule names it. */
  Future<JsonObject> deleteSegment(String name, String actor, Call call);
}
