package org.tenantfeatures.db.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.client.TenantMap;

@DisplayName("The catalogue a map is built with")
class CatalogueCopyTest {

  private static final List<Map.Entry<Long, String>> FLAGS = List.of(
      Map.entry(7L, "zeta"), Map.entry(3L, "alpha"), Map.entry(5L, "mid"));

  @Test
  @DisplayName("Every flag is in the map, in name order, off unless overridden; the overridden names are listed")
  void completeMapInNameOrder() {
    CatalogueCopy catalogue = CatalogueCopy.of(UUID.randomUUID(), FLAGS);
    TenantMap rows = catalogue.map("t", new long[] {7, 3}, new boolean[] {true, false}, 2, 12);
    assertThat(rows.features()).containsExactly(Map.entry("alpha", false), Map.entry("mid", false), Map.entry("zeta", true));
    assertThat(rows.overridden()).containsExactly("alpha", "zeta");
    assertThat(rows.revision()).isEqualTo(12);
  }

  @Test
  @DisplayName("An override of a flag the catalogue does not know fails the read instead of leaving the flag out")
  void unknownFlagIsABrokenInvariant() {
    CatalogueCopy catalogue = CatalogueCopy.of(UUID.randomUUID(), FLAGS);
    assertThatThrownBy(() -> catalogue.map("t", new long[] {3, 9}, new boolean[] {true, true}, 2, 1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("flag id 9");
  }

  @Test
  @DisplayName("Names are the shared, interned strings")
  void namesInterned() {
    String built = new StringBuilder("al").append("pha").toString();
    CatalogueCopy catalogue = CatalogueCopy.of(UUID.randomUUID(), List.of(Map.entry(1L, built)));
    String key = catalogue.map("t", new long[0], new boolean[0], 0, 0).features().keySet().iterator().next();
    assertThat(key).isSameAs("alpha");
  }

  @Test
  @DisplayName("Without a version (none yet, or its row deleted by hand) a read sends one that matches none the database makes")
  void noVersionMatchesNothing() {
    assertThat(CatalogueCopy.NONE.versionToSend()).isEqualTo(new UUID(0, 0));
    assertThat(CatalogueCopy.of(null, FLAGS).versionToSend()).isEqualTo(new UUID(0, 0));
    UUID version = UUID.randomUUID();
    assertThat(CatalogueCopy.of(version, FLAGS).versionToSend()).isEqualTo(version);
  }
}
