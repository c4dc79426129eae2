package org.tenantfeatures.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.tenantfeatures.client.TenantInputs;
import org.tenantfeatures.client.TenantMap;
import org.tenantfeatures.http.edge.VertxInternals;

/**
 * One tenant's complete feature map as read by one statement, why its flags that are not the
 * default have their value (the tenant's overrides, a segment rule, a rollout), its revision, its response body
 * encoded once (cache hits cost no serialisation) with the body's ETag, and the moment (nanoTime)
 * the read completed. Treated as immutable.
 */
public record CachedMap(String tenantId, JsonObject features, Set<String> overridden, Map<String, String> bySegment,
                        Set<String> inRollout, long revision, Buffer body, String etag, long readAtNanos, TenantInputs inputs,
                        long catalogueEpoch) {

  /**
   * The map a read brought (or a map evaluated again), encoded, with the inputs it was evaluated
   * from and the catalogue epoch ({@link TenantMapCache#catalogueEpoch}) its evaluation belongs
   * to; its collections are wrapped, not copied.
   */
  @SuppressWarnings("unchecked")
  public static CachedMap of(TenantMap map, long catalogueEpoch) {
    return of(map.tenantId(), new JsonObject((Map<String, Object>) (Map<String, ?>) map.features()), map.overridden(),
        map.bySegment(), map.inRollout(), map.revision(), map.inputs(), catalogueEpoch);
  }

  /** A map decided by overrides and defaults alone, without its inputs. */
  public static CachedMap of(String tenantId, JsonObject features, Collection<String> overridden, long revision) {
    return of(tenantId, features, overridden, Map.of(), List.of(), revision, null, 0);
  }

  /** Why the flags that are not the default have their value: {@code overridden}, decided {@code bySegment}, {@code inRollout}. */
  public static CachedMap of(String tenantId, JsonObject features, Collection<String> overridden, Map<String, String> bySegment,
      Collection<String> inRollout, long revision, TenantInputs inputs, long catalogueEpoch) {
    Buffer body = body(features);
    boolean shared = namesShared(features);
    // Set.of over the array: Set.copyOf builds a HashSet of the names first, on every uncached
    // read. The names of one read are distinct (one row per flag).
    Set<String> overriddenNames = shared ? Set.of(overridden.toArray(String[]::new))
        : overridden.stream().map(String::intern).collect(Collectors.toUnmodifiableSet());
    // Sparse (only the targeted flags that decided), so a map of overrides and defaults pays for none.
    Map<String, String> segments = bySegment.isEmpty() ? Map.of() : Map.copyOf(bySegment);
    Set<String> rollouts = inRollout.isEmpty() ? Set.of() : Set.copyOf(inRollout);
    return new CachedMap(tenantId, shared ? features : withSharedNames(features), overriddenNames, segments, rollouts, revision, body,
        etag(revision, body, segments, rollouts), System.nanoTime(), inputs, catalogueEpoch);
  }

  private static final byte[] TRUE = ":true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = ":false".getBytes(StandardCharsets.US_ASCII);

  /**
   * The map as JSON: the same bytes as {@link JsonObject#toBuffer()}. Flag names are plain ASCII
   * (the catalogue's check constraint allows {@code [a-z0-9_.-]} only), which JSON writes as they
   * are, so a map of booleans under such names is copied byte for byte, without Jackson's
   * per-character escaping checks and per-entry serializer lookups, which were a large share of
   * the HTTP event loop's work on an uncached read (docs/BENCHMARKS.md, "Figures behind the code").
   * Any other map (a value that is not a boolean, a name that would need escaping or UTF-8)
   * takes {@code toBuffer()}.
   */
  private static Buffer body(JsonObject features) {
    Map<String, Object> flags = features.getMap();
    byte[] out = new byte[2 + flags.size() * 24];
    int at = 0;
    out[at++] = '{';
    for (Map.Entry<String, Object> flag : flags.entrySet()) {
      String name = flag.getKey();
      if (!(flag.getValue() instanceof Boolean enabled) || !plainAscii(name)) {
        return features.toBuffer();
      }
      byte[] value = enabled ? TRUE : FALSE;
      // A comma, two quotes, and room left for the closing brace.
      int needed = name.length() + value.length + 4;
      if (out.length - at < needed) {
        out = Arrays.copyOf(out, Math.max(out.length * 2, at + needed));
      }
      if (at > 1) {
        out[at++] = ',';
      }
      out[at++] = '"';
      for (int i = 0; i < name.length(); i++) {
        out[at++] = (byte) name.charAt(i);
      }
      out[at++] = '"';
      System.arraycopy(value, 0, out, at, value.length);
      at += value.length;
    }
    out[at++] = '}';
    return VertxInternals.wrap(out, at);
  }

  /** Printable ASCII other than the quote and the backslash: written by JSON as it is. */
  private static boolean plainAscii(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the names are the catalogue's shared strings already: the database verticle interns
   * them as it collects the rows, and the event bus's local copy keeps them. A map decoded from
   * another node's reply has copies of its own.
   */
  private static boolean namesShared(JsonObject features) {
    Iterator<String> names = features.fieldNames().iterator();
    if (!names.hasNext()) {
      return true;
    }
    String first = names.next();
    return first == first.intern();
  }

  /**
   * The map with its flag names interned (the overridden names too): every tenant's map has the
   * same names, and each read decoded its own copies, a third of a cached tenant's heap (8.2 KB a
   * tenant with 57 flags, {@code jcmd GC.class_histogram} over 10,000 cached tenants). Names come
   * from the catalogue only, so the JVM's string table holds no more of them than it has.
   */
  private static JsonObject withSharedNames(JsonObject features) {
    Map<String, Object> shared = new LinkedHashMap<>(features.size() * 4 / 3 + 1);
    features.getMap().forEach((name, value) -> shared.put(name.intern(), value));
    return new JsonObject(shared);
  }

  /**
   * {@code "r<revision>-<crc32 of the body and the reasons>"}: the revision changes with every
   * change of the tenant's overrides or attributes; the checksum also changes when the catalogue
   * changes the map (a flag added, renamed or removed, a targeting or segment change) without
   * touching the tenant's revision.
   */
  private static String etag(long revision, Buffer body, Map<String, String> bySegment, Set<String> inRollout) {
    CRC32 crc = new CRC32();
    crc.update(VertxInternals.view(body));
    if (!bySegment.isEmpty() || !inRollout.isEmpty()) {
      // The reasons OFREP answers are part of what the tag stands for: a flag that moves from a
      // rollout to a segment rule keeps its value but not its reason. Sorted: one tag on every node.
      new TreeMap<>(bySegment).forEach((flag, segment) -> crc.update((flag + "=" + segment + ";").getBytes(StandardCharsets.UTF_8)));
      new TreeSet<>(inRollout).forEach(flag -> crc.update((flag + "%;").getBytes(StandardCharsets.UTF_8)));
    }
    return "\"r" + revision + "-" + Long.toHexString(crc.getValue()) + "\"";
  }

  public long ageMs() {
    return (System.nanoTime() - readAtNanos) / 1_000_000;
  }
}
