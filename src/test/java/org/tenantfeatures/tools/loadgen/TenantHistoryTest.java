package org.tenantfeatures.tools.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Verification against a tenant's history")
class TenantHistoryTest {

  private static final String T = "550e8400-e29b-41d4-a716-446655440000";
  private static final JsonObject V0 = new JsonObject().put("a", true).put("b", false);
  private static final JsonObject V1 = new JsonObject().put("a", false).put("b", false);
  private static final JsonObject V2 = new JsonObject().put("a", false).put("b", true);

  private final TenantHistory history = new TenantHistory();

  @BeforeEach
  void states() {
    history.initial(T, V0);
    history.changed(T, V1, 100, 110); // committed somewhere in [100, 110]
    history.changed(T, V2, 200, 210);
  }

  @Test
  @DisplayName("Without writes in the window, only the current state is right; {} and partial maps never are")
  void onlyCurrentState() {
    assertThat(history.matches(T, V2, 300, 310, 0)).isTrue();
    assertThat(history.matches(T, V1, 300, 310, 0)).isFalse();
    assertThat(history.matches(T, new JsonObject(), 300, 310, 0)).isFalse();
    assertThat(history.matches(T, new JsonObject().put("b", true), 300, 310, 0)).isFalse();
  }

  @Test
  @DisplayName("A request overlapping a write may see the state before or after it")
  void overlappingWrite() {
    assertThat(history.matches(T, V1, 150, 205, 0)).isTrue();
    assertThat(history.matches(T, V2, 150, 205, 0)).isTrue();
    assertThat(history.matches(T, V0, 150, 205, 0)).isFalse();
  }

  @Test
  @DisplayName("A state that may not yet have been committed when the request ended is not right")
  void futureStateIsWrong() {
    assertThat(history.matches(T, V2, 150, 190, 0)).isFalse();
    assertThat(history.matches(T, V0, 50, 90, 0)).isTrue();
  }

  @Test
  @DisplayName("An older state is right only within the accepted staleness")
  void staleness() {
    assertThat(history.matches(T, V1, 300, 310, 0)).isFalse();
    assertThat(history.matches(T, V1, 300, 310, 95)).isTrue();
    assertThat(history.matches(T, V1, 300, 310, 80)).isFalse();
  }

  @Test
  @DisplayName("An unknown tenant's answer is never right")
  void unknownTenant() {
    assertThat(history.matches("00000000-0000-0000-0000-000000000000", V2, 300, 310, 0)).isFalse();
  }

  @Test
  @DisplayName("A write still awaiting its acknowledgement may already have been read")
  void pendingWrite() {
    JsonObject v3 = new JsonObject().put("a", true).put("b", true);
    Object pending = history.pending(T, v3, 400);
    assertThat(history.matches(T, v3, 390, 420, 0)).isTrue();
    assertThat(history.matches(T, V2, 390, 420, 0)).isTrue();
    history.settled(pending, 430);
    assertThat(history.matches(T, V2, 500, 510, 0)).isFalse();
    assertThat(history.matches(T, v3, 500, 510, 0)).isTrue();
  }

  @Test
  @DisplayName("A session following another on the same data keeps its states: an answer stale within the window of the last session's writes stays right")
  void nextSessionContinuesTheHistory() {
    // V2 committed in [200, 210]; the next session reads V2 as the tenant's map at 215 and asks at 250.
    history.current(T, V2);
    assertThat(history.matches(T, V1, 250, 260, 100)).as("V1, replaced 40 ns before the window's end").isTrue();
    TenantHistory fresh = new TenantHistory();
    fresh.current(T, V2);
    assertThat(fresh.matches(T, V1, 250, 260, 100)).as("what a fresh history per session said").isFalse();
  }

  @Test
  @DisplayName("A map someone else changed between two sessions starts the tenant's history again")
  void foreignWriteStartsAgain() {
    JsonObject other = new JsonObject().put("a", true).put("b", true);
    history.current(T, other);
    assertThat(history.matches(T, other, 300, 310, 0)).isTrue();
    assertThat(history.matches(T, V2, 300, 310, 1_000)).isFalse();
  }

  @Test
  @DisplayName("A refused answer is explained: how stale it was, or that it was never a state")
  void explainsRefusedAnswers() {
    assertThat(history.explain(T, V1, 300, 310)).isEqualTo("a state replaced 0 ms before the request began");
    assertThat(history.explain(T, V1, 2_000_210, 2_000_300)).isEqualTo("a state replaced 2 ms before the request began");
    assertThat(history.explain(T, new JsonObject(), 300, 310)).isEqualTo("no state this history has seen");
  }
}
