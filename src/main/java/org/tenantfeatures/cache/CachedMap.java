package org.tenantfeatures.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32;
import org.tenantfeatures.client.TenantInputs;
import org.tenantfeatures.client.TenantMap;
import org.tenantfeatures.http.edge.VertxInternals;

/**
 * One tenant's complete feature map as read by one statement (or evaluated again from its inputs):
 * its flags' values and why those that are not the default have them (the tenant's override, a
 * segment rule, a rollout), as one byte a flag over the catalogue's shared {@link FlagLayout}; its
 * revision; the ETag of its body; the moment (nanoTime) the read completed; and the inputs it was
 * evaluated from. Treated as immutable.
 *
 * <p>The body is written from the layout's encoded members on each use rather than kept: a kept
 * body repeated every flag name per tenant, most of a cached tenant's heap (docs/CAPACITY.md),
 * while writing it is one copy of under a kilobyte, which the kept body cost too on its way to the
 * socket.
 */
public record CachedMap(String tenantId, FlagLayout layout, byte[] decisions, Map<String, String> bySegment, long revision,
                        String etag, long readAtNanos, TenantInputs inputs, long catalogueEpoch) {

  private static final byte TRUE = 1;
  private static final byte OVERRIDE = 2;
  private static final byte ROLLOUT = 4;

  /**
   * The map a read brought (or a map evaluated again), with the inputs it was evaluated from and
   * the catalogue epoch ({@link TenantMapCache#catalogueEpoch}) its evaluation belongs to.
   */
  public static CachedMap of(TenantMap map, long catalogueEpoch) {
    return of(map.tenantId(), map.features(), map.overridden(), map.bySegment(), map.inRollout(), map.revision(), map.inputs(),
        catalogueEpoch);
  }

  /** A map decided by overrides and defaults alone, without its inputs. */
  @SuppressWarnings("unchecked")
  public static CachedMap of(String tenantId, JsonObject features, Collection<String> overridden, long revision) {
    return of(tenantId, (Map<String, Boolean>) (Map<String, ?>) features.getMap(), overridden, Map.of(), List.of(), revision, null, 0);
  }

  /** Why the flags that are not the default have their value: {@code overridden}, decided {@code bySegment}, {@code inRollout}. */
  public static CachedMap of(String tenantId, Map<String, Boolean> features, Collection<String> overridden, Map<String, String> bySegment,
      Collection<String> inRollout, long revision, TenantInputs inputs, long catalogueEpoch) {
    FlagLayout layout = FlagLayout.of(features.keySet());
    byte[] decisions = new byte[layout.size()];
    int i = 0;
    for (Boolean value : features.values()) {
      decisions[i++] = Boolean.TRUE.equals(value) ? TRUE : 0;
    }
    mark(layout, decisions, overridden, OVERRIDE);
    mark(layout, decisions, inRollout, ROLLOUT);
    // The segment a rule decided with is kept by name, not as a bit: sparse (only the flags a
    // segment rule decided), so a map of overrides and defaults pays for none.
    Map<String, String> segments = bySegment.isEmpty() ? Map.of() : Map.copyOf(bySegment);
    return new CachedMap(tenantId, layout, decisions, segments, revision, etag(revision, layout.render(decisions), decisions, layout, segments),
        System.nanoTime(), inputs, catalogueEpoch);
  }

  private static void mark(FlagLayout layout, byte[] decisions, Collection<String> flags, byte reason) {
    for (String flag : flags) {
      int at = layout.position(flag);
      if (at >= 0) {
        decisions[at] |= reason;
      }
    }
  }

  static boolean value(byte decision) {
    return (decision & TRUE) != 0;
  }

  /** The map as JSON, the same bytes as {@link JsonObject#toBuffer()} of the map: written anew on each call. */
  public Buffer body() {
    return layout.render(decisions);
  }

  /** The flag names in the map's order. */
  public List<String> flags() {
    return layout.names();
  }

  public boolean has(String flag) {
    return layout.position(flag) >= 0;
  }

  /** The flag's value; false for a flag the map does not have. */
  public boolean value(String flag) {
    return is(flag, TRUE);
  }

  /** Whether the tenant's own override decided the flag. */
  public boolean overridden(String flag) {
    return is(flag, OVERRIDE);
  }

  /** Whether the flag's rollout holds the tenant and decided the flag. */
  public boolean inRollout(String flag) {
    return is(flag, ROLLOUT);
  }

  private boolean is(String flag, byte bit) {
    int at = layout.position(flag);
    return at >= 0 && (decisions[at] & bit) != 0;
  }

  /** The map as a JSON object of flag to value, in order (a copy; for tests and tools, not for serving). */
  public JsonObject features() {
    JsonObject features = new JsonObject();
    for (int i = 0; i < decisions.length; i++) {
      features.put(layout.names().get(i), value(decisions[i]));
    }
    return features;
  }

  /**
   * {@code "r<revision>-<crc32 of the body and the reasons>"}: the revision changes with every
   * change of the tenant's overrides or attributes; the checksum also changes when the catalogue
   * changes the map (a flag added, renamed or removed, a targeting or segment change) without
   * touching the tenant's revision.
   */
  private static String etag(long revision, Buffer body, byte[] decisions, FlagLayout layout, Map<String, String> bySegment) {
    CRC32 crc = new CRC32();
    crc.update(VertxInternals.view(body));
    Set<String> inRollout = new TreeSet<>();
    for (int i = 0; i < decisions.length; i++) {
      if ((decisions[i] & ROLLOUT) != 0) {
        inRollout.add(layout.names().get(i));
      }
    }
    if (!bySegment.isEmpty() || !inRollout.isEmpty()) {
      // The reasons OFREP answers are part of what the tag stands for: a flag that moves from a
      // rollout to a segment rule keeps its value but not its reason. Sorted: one tag on every node.
      new TreeMap<>(bySegment).forEach((flag, segment) -> crc.update((flag + "=" + segment + ";").getBytes(StandardCharsets.UTF_8)));
      inRollout.forEach(flag -> crc.update((flag + "%;").getBytes(StandardCharsets.UTF_8)));
    }
    return "\"r" + revision + "-" + Long.toHexString(crc.getValue()) + "\"";
  }

  public long ageMs() {
    return (System.nanoTime() - readAtNanos) / 1_000_000;
  }
}
