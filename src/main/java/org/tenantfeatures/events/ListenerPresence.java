package org.tenantfeatures.events;

import java.util.HashMap;
import java.util.Map;
import org.tenantfeatures.client.ChangeListenerState;

/**
 * Which change listeners this node hears: those that said they listen within
 * {@link ChangeListenerState#SILENT_AFTER_MS}. One heard is enough for every committed change to
 * be announced; none heard means changes may go unannounced. Times are {@code nanoTime}s, passed
 * in so that a test needs no clock; used from one event loop.
 */
final class ListenerPresence {

  private static final long SILENT_AFTER_NANOS = ChangeListenerState.SILENT_AFTER_MS * 1_000_000;

  /** Listener id to the last time it said it listens; at most one entry per listening node. */
  private final Map<String, Long> lastHeard = new HashMap<>();

  /** Takes a listener's word; whether any listener is heard now. */
  boolean heard(ChangeListenerState state, long now) {
    if (state.listening()) {
      lastHeard.put(state.listener(), now);
    } else {
      lastHeard.remove(state.listener());
    }
    return anyHeard(now);
  }

  /** Whether any listener spoke within its silence bound; forgets those that did not. */
  boolean anyHeard(long now) {
    lastHeard.values().removeIf(at -> now - at > SILENT_AFTER_NANOS);
    return !lastHeard.isEmpty();
  }
}
