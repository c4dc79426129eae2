package org.tenantfeatures.loadgen;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every state each tenant's map has had during a run, with the window in which each change may
 * have become visible (a write's commit lies somewhere between its start and its end). An answer
 * is right if it equals a state that may have been current at some moment between the request's
 * start (less the accepted staleness) and its end.
 */
public final class TenantHistory {

  /** A map and the earliest and latest moment (nanoTime) it may have become current. */
  private record State(JsonObject map, long fromEarliest, long fromLatest) {
  }

  private final Map<String, List<State>> states = new HashMap<>();

  /** The map each tenant has at the start of the run. */
  public synchronized void initial(String tenantId, JsonObject map) {
    List<State> list = new ArrayList<>();
    list.add(new State(map, Long.MIN_VALUE, Long.MIN_VALUE));
    states.put(tenantId, list);
  }

  /** A write that changed the tenant's map to {@code map}, started and ended at these nanoTimes. */
  public synchronized void changed(String tenantId, JsonObject map, long startNanos, long endNanos) {
    states.get(tenantId).add(new State(map, startNanos, endNanos));
  }

  public synchronized JsonObject latest(String tenantId) {
    List<State> list = states.get(tenantId);
    return list.get(list.size() - 1).map();
  }

  public synchronized boolean knows(String tenantId) {
    return states.containsKey(tenantId);
  }

  public synchronized List<String> tenants() {
    return List.copyOf(states.keySet());
  }

  /**
   * Whether {@code answer} equals a state that may have been current within
   * {@code [startNanos - maxStaleNanos, endNanos]}.
   */
  public synchronized boolean matches(String tenantId, JsonObject answer, long startNanos, long endNanos, long maxStaleNanos) {
    List<State> list = states.get(tenantId);
    if (list == null) {
      return false;
    }
    long windowStart = startNanos - maxStaleNanos;
    for (int k = list.size() - 1; k >= 0; k--) {
      State state = list.get(k);
      if (state.fromEarliest() - endNanos > 0 && state.fromEarliest() != Long.MIN_VALUE) {
        continue; // could not have been visible before the request ended
      }
      boolean superseded = k + 1 < list.size();
      if (superseded && list.get(k + 1).fromLatest() - windowStart < 0) {
        return false; // this state and every older one were gone before the window opened
      }
      if (state.map().equals(answer)) {
        return true;
      }
    }
    return false;
  }
}
