package org.tenantfeatures.tools.loadgen;

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
 *
 * <p>A write is recorded as pending before it is sent: the service may read the new state
 * before the writer has heard its own commit acknowledged, and such an answer is right.
 */
public final class TenantHistory {

  /** Marks a write whose end is not known yet. */
  private static final long OPEN = Long.MAX_VALUE;

  /** A map and the earliest and latest moment (nanoTime) it may have become current. */
  private static final class State {
    final JsonObject map;
    final long fromEarliest;
    long fromLatest;
    final boolean initial;

    State(JsonObject map, long fromEarliest, long fromLatest, boolean initial) {
      this.map = map;
      this.fromEarliest = fromEarliest;
      this.fromLatest = fromLatest;
      this.initial = initial;
    }
  }

  private final Map<String, List<State>> states = new HashMap<>();

  /** The map each tenant has at the start of the run. */
  public synchronized void initial(String tenantId, JsonObject map) {
    List<State> list = new ArrayList<>();
    list.add(new State(map, 0, 0, true));
    states.put(tenantId, list);
  }

  /**
   * A write that may change the tenant's map to {@code map} is about to be sent, at
   * {@code startNanos}. Returns a handle for {@link #settled}.
   */
  public synchronized Object pending(String tenantId, JsonObject map, long startNanos) {
    State state = new State(map, startNanos, OPEN, false);
    states.get(tenantId).add(state);
    return state;
  }

  /** The write has ended (committed, failed, or its outcome read back) at {@code endNanos}. */
  public synchronized void settled(Object pending, long endNanos) {
    ((State) pending).fromLatest = endNanos;
  }

  /** A committed write, start and end known: {@link #pending} and {@link #settled} in one. */
  public synchronized void changed(String tenantId, JsonObject map, long startNanos, long endNanos) {
    states.get(tenantId).add(new State(map, startNanos, endNanos, false));
  }

  public synchronized JsonObject latest(String tenantId) {
    List<State> list = states.get(tenantId);
    return list.get(list.size() - 1).map;
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
      if (!state.initial && state.fromEarliest - endNanos > 0) {
        continue; // sent only after the request ended: it cannot have been read
      }
      if (k + 1 < list.size()) {
        State next = list.get(k + 1);
        if (next.fromLatest != OPEN && next.fromLatest - windowStart < 0) {
          return false; // this state and every older one were gone before the window opened
        }
      }
      if (state.map.equals(answer)) {
        return true;
      }
    }
    return false;
  }
}
