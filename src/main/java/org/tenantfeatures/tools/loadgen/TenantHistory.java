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

  /**
   * The map the tenant has at the start of a session. A tenant this history does not know starts
   * its history here. One it knows keeps its states when the map is the one it expects, so that a
   * session following another on the same data still accepts answers stale within the allowed
   * window of the earlier session's last writes (a fresh history would call them wrong); if
   * someone else changed the map in between, its history starts again here.
   */
  public synchronized void current(String tenantId, JsonObject map) {
    List<State> list = states.get(tenantId);
    if (list == null || !list.get(list.size() - 1).map.equals(map)) {
      initial(tenantId, map);
    }
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

  /**
   * For the report of an answer that {@link #matches} refused: how long before the request
   * began the newest equal state had been replaced, or that no state of this history equals it.
   */
  public synchronized String explain(String tenantId, JsonObject answer, long startNanos, long endNanos) {
    List<State> list = states.get(tenantId);
    if (list == null) {
      return "a tenant this history does not know";
    }
    for (int k = list.size() - 1; k >= 0; k--) {
      State state = list.get(k);
      if (state.map.equals(answer) && (state.initial || state.fromEarliest - endNanos <= 0)) {
        if (k + 1 == list.size() || list.get(k + 1).fromLatest == OPEN) {
          return "the state current during the request";
        }
        return "a state replaced " + (startNanos - list.get(k + 1).fromLatest) / 1_000_000 + " ms before the request began";
      }
    }
    return "no state this history has seen";
  }
}
