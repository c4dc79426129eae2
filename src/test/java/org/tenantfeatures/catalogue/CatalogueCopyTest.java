package org.tenantfeatures.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.client.TenantInputs;
import org.tenantfeatures.client.TenantMap;

@DisplayName("The catalogue a map is built with")
class CatalogueCopyTest {

  private static final List<CatalogueCopy.FlagRow> FLAGS = List.of(
      new CatalogueCopy.FlagRow(7L, "zeta", null), new CatalogueCopy.FlagRow(3L, "alpha", null), new CatalogueCopy.FlagRow(5L, "mid", null));
  private static final String TENANT = "3f2c0d6e-8f4b-4b8e-9d0a-5e6f7a8b9c0d";

  @Test
  @DisplayName("Every flag is in the map, in name order, off unless overridden; the overridden names are listed")
  void completeMapInNameOrder() {
    CatalogueCopy catalogue = CatalogueCopy.of(UUID.randomUUID(), FLAGS, List.of());
    TenantMap rows = catalogue.map(TENANT, new TenantInputs(new long[] {7, 3}, new boolean[] {true, false}, null), 12);
    assertThat(rows.features()).containsExactly(Map.entry("alpha", false), Map.entry("mid", false), Map.entry("zeta", true));
    assertThat(rows.overridden()).containsExactly("alpha", "zeta");
    assertThat(rows.revision()).isEqualTo(12);
  }

  @Test
  @DisplayName("An override of a flag the catalogue does not know fails the read instead of leaving the flag out")
  void unknownFlagIsABrokenInvariant() {
    CatalogueCopy catalogue = CatalogueCopy.of(UUID.randomUUID(), FLAGS, List.of());
    assertThatThrownBy(() -> catalogue.map(TENANT, new TenantInputs(new long[] {3, 9}, new boolean[] {true, true}, null), 1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("flag id 9");
  }

  @Test
  @DisplayName("Names are the shared, interned strings")
  void namesInterned() {
    String built = new StringBuilder("al").append("pha").toString();
    CatalogueCopy catalogue = CatalogueCopy.of(UUID.randomUUID(), List.of(new CatalogueCopy.FlagRow(1L, built, null)), List.of());
    String key = catalogue.map(TENANT, new TenantInputs(new long[0], new boolean[0], null), 0).features().keySet().iterator().next();
    assertThat(key).isSameAs("alpha");
  }

  @Test
  @DisplayName("A flag's targeting and the segments it names decide what no override does; the overrides still come first")
  void targetingDecides() {
    JsonObject everyoneOn = new JsonObject().put("default", true);
    JsonObject enterprise = new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("segment", "big").put("value", true)));
    JsonObject big = new JsonObject().put("conditions", new JsonArray().add(
        new JsonObject().put("attribute", "plan").put("op", "in").put("values", new JsonArray().add("enterprise"))));
    CatalogueCopy catalogue = CatalogueCopy.of(UUID.randomUUID(), List.of(new CatalogueCopy.FlagRow(1L, "on", everyoneOn),
        new CatalogueCopy.FlagRow(2L, "big_only", enterprise), new CatalogueCopy.FlagRow(3L, "plain", null)),
        List.of(new CatalogueCopy.SegmentRow("big", big)));
    TenantMap small = catalogue.map(TENANT, new TenantInputs(new long[] {1}, new boolean[] {false}, new JsonObject().put("plan", "free")), 3);
    assertThat(small.features()).containsExactly(Map.entry("big_only", false), Map.entry("on", false), Map.entry("plain", false));
    TenantMap large = catalogue.map(TENANT, new TenantInputs(new long[0], new boolean[0], new JsonObject().put("plan", "enterprise")), 3);
    assertThat(large.features()).containsExactly(Map.entry("big_only", true), Map.entry("on", true), Map.entry("plain", false));
  }

  @Test
  @DisplayName("A stored targeting the evaluator refuses (SQL by hand) fails the read instead of answering a guess")
  void unreadableTargetingFails() {
    List<CatalogueCopy.FlagRow> broken = List.of(new CatalogueCopy.FlagRow(1L, "x", new JsonObject().put("rollout", "half")));
    assertThatThrownBy(() -> CatalogueCopy.of(UUID.randomUUID(), broken, List.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("rollout");
  }

  @Test
  @DisplayName("Inputs kept from before a catalogue that lost a flag are evaluated again without its override, never failing")
  void reevaluationLeavesDeletedFlagsOut() {
    CatalogueCopy catalogue = CatalogueCopy.of(UUID.randomUUID(), FLAGS, List.of());
    TenantMap map = catalogue.reevaluate(TENANT, new TenantInputs(new long[] {9, 3}, new boolean[] {true, true}, null), 4);
    assertThat(map.features()).containsExactly(Map.entry("alpha", true), Map.entry("mid", false), Map.entry("zeta", false));
    assertThat(map.overridden()).containsExactly("alpha");
    assertThat(map.revision()).isEqualTo(4);
  }

  @Test
  @DisplayName("The bus form carries the whole catalogue: a node's copy evaluates as the database side's does")
  void busForm() {
    UUID version = UUID.randomUUID();
    JsonObject rollout = new JsonObject().put("rollout", new JsonObject().put("percentage", 50));
    JsonObject big = new JsonObject().put("tenants", new JsonArray().add(TENANT));
    List<CatalogueCopy.FlagRow> flags = List.of(new CatalogueCopy.FlagRow(1L, "half", rollout),
        new CatalogueCopy.FlagRow(2L, "big_only", new JsonObject().put("rules", new JsonArray().add(
            new JsonObject().put("segment", "big").put("value", true)))));
    List<CatalogueCopy.SegmentRow> segments = List.of(new CatalogueCopy.SegmentRow("big", big));
    CatalogueCopy copy = CatalogueCopy.fromJson(new JsonObject(CatalogueCopy.toJson(version, flags, segments).encode()));
    TenantInputs inputs = new TenantInputs(new long[0], new boolean[0], null);
    assertThat(copy.version()).isEqualTo(version);
    assertThat(copy.map(TENANT, inputs, 1)).isEqualTo(CatalogueCopy.of(version, flags, segments).map(TENANT, inputs, 1));
    assertThat(copy.map(TENANT, inputs, 1).bySegment()).containsExactly(Map.entry("big_only", "big"));
  }

  @Test
  @DisplayName("Without a version (none yet, or its row deleted by hand) a read sends one that matches none the database makes")
  void noVersionMatchesNothing() {
    assertThat(CatalogueCopy.NONE.versionToSend()).isEqualTo(new UUID(0, 0));
    assertThat(CatalogueCopy.of(null, FLAGS, List.of()).versionToSend()).isEqualTo(new UUID(0, 0));
    UUID version = UUID.randomUUID();
    assertThat(CatalogueCopy.of(version, FLAGS, List.of()).versionToSend()).isEqualTo(version);
  }
}
