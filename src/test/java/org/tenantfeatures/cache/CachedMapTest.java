package org.tenantfeatures.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A tenant map's body and ETag")
class CachedMapTest {

  @Test
  @DisplayName("The body is the bytes JsonObject would write, in the map's order, and the ETag is the revision with the body's CRC-32")
  void bodyAndEtag() {
    Map<String, Object> flags = new LinkedHashMap<>();
    for (int i = 0; i < 60; i++) {
      flags.put(("flag." + i + "_" + "x".repeat(i)).intern(), i % 3 == 0);
    }
    JsonObject features = new JsonObject(flags);
    CachedMap map = CachedMap.of("t", features, List.of("flag.0_"), 7);

    byte[] expected = features.toBuffer().getBytes();
    assertThat(map.body().getBytes()).isEqualTo(expected);
    CRC32 crc = new CRC32();
    crc.update(expected);
    assertThat(map.etag()).isEqualTo("\"r7-" + Long.toHexString(crc.getValue()) + "\"");
    assertThat(map.body().getBytes()).as("the body can be read again").isEqualTo(expected);
  }

  @Test
  @DisplayName("A name JSON escapes or encodes is written as JsonObject writes it")
  void otherNames() {
    for (JsonObject features : List.of(
        new JsonObject().put("a", true).put("quote\"d", false),
        new JsonObject().put("back\\slash", true),
        new JsonObject().put("tab\t", true),
        new JsonObject().put("a", false).put("gr\u00fcn", true).put("\u65e5\u672c", false),
        new JsonObject())) {
      assertThat(CachedMap.of("t", features, List.of(), 1).body().toString()).isEqualTo(features.toBuffer().toString());
    }
  }

  @Test
  @DisplayName("Maps of one catalogue share its layout (the names are held once) and keep each flag's value and reason")
  void sharedLayoutAndReasons() {
    Map<String, Boolean> features = new LinkedHashMap<>();
    features.put("a", true);
    features.put("b", false);
    features.put("c", true);
    features.put("d", false);
    CachedMap one = CachedMap.of("t1", features, List.of("a"), Map.of("b", "eu"), List.of("c"), 3, null, 0);
    CachedMap two = CachedMap.of("t2", new LinkedHashMap<>(features), List.of(), Map.of(), List.of(), 1, null, 0);

    assertThat(two.layout()).isSameAs(one.layout());
    assertThat(one.flags()).containsExactly("a", "b", "c", "d");
    assertThat(one.features().getMap()).isEqualTo(Map.of("a", true, "b", false, "c", true, "d", false));
    assertThat(List.of(one.overridden("a"), one.overridden("b"), one.inRollout("c"), one.inRollout("a"))).containsExactly(true, false, true, false);
    assertThat(one.bySegment()).containsExactly(Map.entry("b", "eu"));
    assertThat(one.has("e")).isFalse();
    assertThat(one.value("e")).isFalse();
    assertThat(one.etag()).as("the reasons are part of the tag").isNotEqualTo(
        CachedMap.of("t1", features, List.of("a"), Map.of(), List.of(), 3, null, 0).etag());
  }
}
