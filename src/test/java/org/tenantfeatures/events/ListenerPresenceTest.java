package org.tenantfeatures.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.client.ChangeListenerState;

@DisplayName("Which change listeners a node hears")
class ListenerPresenceTest {

  private static final long MS = 1_000_000;
  private static final long SILENT_AFTER = ChangeListenerState.SILENT_AFTER_MS * MS;

  private final ListenerPresence presence = new ListenerPresence();

  @Test
  @DisplayName("None is heard until one says it listens; one is enough while others are lost")
  void oneListenerIsEnough() {
    assertThat(presence.anyHeard(0)).isFalse();
    assertThat(presence.heard(new ChangeListenerState("a", true), 0)).isTrue();
    assertThat(presence.heard(new ChangeListenerState("b", true), 10 * MS)).isTrue();
    assertThat(presence.heard(new ChangeListenerState("a", false), 20 * MS)).as("b still listens").isTrue();
    assertThat(presence.heard(new ChangeListenerState("b", false), 30 * MS)).as("the last one lost").isFalse();
  }

  @Test
  @DisplayName("A listener that falls silent (its node crashed) counts as gone after the silence bound; its heartbeat keeps it")
  void silenceIsLoss() {
    presence.heard(new ChangeListenerState("a", true), 0);
    assertThat(presence.anyHeard(SILENT_AFTER)).as("at the bound").isTrue();
    assertThat(presence.anyHeard(SILENT_AFTER + 1)).as("past it").isFalse();
    presence.heard(new ChangeListenerState("a", true), SILENT_AFTER + 2);
    assertThat(presence.heard(new ChangeListenerState("a", true), 2 * SILENT_AFTER)).as("heartbeats within the bound").isTrue();
    assertThat(presence.anyHeard(3 * SILENT_AFTER)).isTrue();
    assertThat(presence.anyHeard(3 * SILENT_AFTER + 1)).isFalse();
  }
}
