package org.tenantfeatures.db.read;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tenantfeatures.client.TenantMap;

/**
 * The flags as one map read saw them (id and name), under the version the database gave them
 * (table {@code catalogue_version}, replaced in every transaction that adds, renames or removes a
 * flag). The database verticle keeps the last one it was sent and names its version in each map
 * read; the read sends the flags again only when the version moved. A version is compared, never
 * trusted by age: the catalogue a read uses is always the one whose version that read returned.
 *
 * <p>Names are interned: every tenant's map then holds the same strings, and a cached map keeps the
 * catalogue's strings rather than copies of its own (names were a large share of a cached
 * tenant's heap: docs/BENCHMARKS.md, "Figures behind the code").
 */
final class CatalogueCopy {

  /** Sent before any catalogue is known: no version the database makes (random UUIDs) equals it. */
  static final CatalogueCopy NONE = new CatalogueCopy(null, List.of());
  private static final UUID NO_VERSION = new UUID(0, 0);

  private final UUID version;
  /**
   * Names in order, sorted once per catalogue (an ORDER BY costs PostgreSQL a sort per read):
   * every map's keys come in this order, so one map is
   * one body and one ETag on every node.
   */
  private final String[] names;
  private final Map<Long, Integer> positionById;

  private CatalogueCopy(UUID version, List<Map.Entry<Long, String>> flags) {
    this.version = version;
    List<Map.Entry<Long, String>> sorted = new ArrayList<>(flags);
    sorted.sort(Map.Entry.comparingByValue());
    this.names = new String[sorted.size()];
    this.positionById = new HashMap<>(sorted.size() * 4 / 3 + 1);
    for (int i = 0; i < names.length; i++) {
      names[i] = sorted.get(i).getValue().intern();
      if (i > 0 && names[i].equals(names[i - 1])) {
        throw new IllegalStateException("duplicate flag name in the catalogue");
      }
      positionById.put(sorted.get(i).getKey(), i);
    }
  }

  /** The flags a read returned, under the version it returned ({@code null}: none, keep nothing). */
  static CatalogueCopy of(UUID version, List<Map.Entry<Long, String>> flags) {
    return new CatalogueCopy(version, flags);
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
   * The tenant's whole map: every flag, off unless overridden, in name order. The overrides come
   * from the same statement as this catalogue's version, so an id it does not know is a broken
   * invariant (the foreign key forbids it), never something to leave out.
   */
  TenantMap map(String tenantId, long[] ids, boolean[] enabled, int count, long revision) {
    boolean[] values = new boolean[names.length];
    boolean[] overridden = new boolean[names.length];
    for (int i = 0; i < count; i++) {
      Integer position = positionById.get(ids[i]);
      if (position == null) {
        throw new IllegalStateException("override of flag id " + ids[i] + " missing from the catalogue read with it");
      }
      values[position] = enabled[i];
      overridden[position] = true;
    }
    // A LinkedHashMap: the only kind of map whose order the event bus's JsonObject.copy keeps (a
    // TreeMap was copied into a HashMap: OfrepStreamIT caught it).
    Map<String, Boolean> features = new LinkedHashMap<>(names.length * 4 / 3 + 1);
    List<String> overriddenNames = new ArrayList<>(count);
    for (int i = 0; i < names.length; i++) {
      features.put(names[i], values[i]);
      if (overridden[i]) {
        overriddenNames.add(names[i]);
      }
    }
    return new TenantMap(tenantId, features, overriddenNames, revision);
  }
}
