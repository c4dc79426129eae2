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
}
