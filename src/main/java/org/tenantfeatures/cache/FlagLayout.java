package org.tenantfeatures.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tenantfeatures.http.edge.VertxInternals;

/**
 * The flags of a catalogue in a map's order, with each one's two JSON members ({@code "name":true}
 * and {@code "name":false}) encoded once: every cached map of that catalogue refers to one layout
 * and keeps only a byte per flag ({@link CachedMap}), so the names, which are most of a map's
 * bytes, are held once per node instead of once per tenant (docs/CAPACITY.md). Immutable.
 */
public final class FlagLayout {

  /** The layout most recently made: the next map, almost always of the same catalogue, shares it. */
  private static volatile FlagLayout latest = new FlagLayout(new String[0]);

  private final String[] names;
  private final Map<String, Integer> positions;
  private final byte[][] on;
  private final byte[][] off;
  private final List<String> nameList;

  private FlagLayout(String[] names) {
    this.names = names;
    this.positions = new HashMap<>(names.length * 4 / 3 + 1);
    this.on = new byte[names.length][];
    this.off = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      positions.put(names[i], i);
      // Jackson writes the name, so any name is escaped as JsonObject would escape it.
      String member = Json.encode(names[i]) + ":";
      on[i] = (member + "true").getBytes(StandardCharsets.UTF_8);
      off[i] = (member + "false").getBytes(StandardCharsets.UTF_8);
    }
    this.nameList = List.of(names);
  }

  /** The layout of these names in this order: the latest one if it has them, else a new one, then the latest. */
  public static FlagLayout of(Collection<String> names) {
    FlagLayout current = latest;
    if (current.sameAs(names)) {
      return current;
    }
    FlagLayout made = new FlagLayout(names.toArray(String[]::new));
    latest = made;
    return made;
  }

  private boolean sameAs(Collection<String> other) {
    if (other.size() != names.length) {
      return false;
    }
    int i = 0;
    for (String name : other) {
      // Names are the catalogue's interned strings on the usual path: identity decides at once.
      String mine = names[i++];
      if (mine != name && !mine.equals(name)) {
        return false;
      }
    }
    return true;
  }

  public int size() {
    return names.length;
  }

  /** The flag names in the map's order. */
  public List<String> names() {
    return nameList;
  }

  /** The flag's position in the map, or -1 if the catalogue has no such flag. */
  public int position(String flag) {
    Integer at = positions.get(flag);
    return at == null ? -1 : at;
  }

  /**
   * The map as JSON, {@code values[i]} the value of the {@code i}th flag: the bytes {@link
   * io.vertx.core.json.JsonObject#toBuffer()} writes for the same map, copied member by member
   * without Jackson's per-character checks (docs/BENCHMARKS.md, "Figures behind the code").
   */
  Buffer render(byte[] decisions) {
    int length = 2 + Math.max(0, names.length - 1);
    for (int i = 0; i < names.length; i++) {
      length += (CachedMap.value(decisions[i]) ? on : off)[i].length;
    }
    byte[] out = new byte[length];
    int at = 0;
    out[at++] = '{';
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        out[at++] = ',';
      }
      byte[] member = (CachedMap.value(decisions[i]) ? on : off)[i];
      System.arraycopy(member, 0, out, at, member.length);
      at += member.length;
    }
    out[at] = '}';
    return VertxInternals.wrap(out, out.length);
  }

  @Override
  public String toString() {
    return "FlagLayout" + Arrays.toString(names);
  }
}
