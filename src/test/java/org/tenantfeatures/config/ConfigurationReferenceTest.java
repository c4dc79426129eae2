package org.tenantfeatures.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.support.TestConfig;

/** The README's configuration table is the reference users read: it must match the defaults. */
@DisplayName("Configuration reference in README.md")
class ConfigurationReferenceTest {

  @Test
  @DisplayName("Every key of conf/config.json has a README row with its default and its environment variable")
  void everyKeyIsDocumented() throws Exception {
    List<String> rows = Files.readAllLines(Path.of("README.md")).stream().filter(l -> l.startsWith("| `")).toList();
    List<String> missing = new ArrayList<>();
    leaves(TestConfig.defaults(), "", (path, value) -> {
      String shown = value instanceof String s && s.isEmpty() ? "*(empty)*"
          : "`" + (value instanceof JsonArray a ? a.encode() : String.valueOf(value)) + "`";
      String expected = "| `" + path + "` | " + shown + " | `" + ConfigOverrides.envName(path) + "` |";
      if (rows.stream().noneMatch(r -> r.startsWith(expected))) {
        missing.add(expected);
      }
    });
    assertThat(missing).as("README rows that are missing or out of date").isEmpty();
  }

  private interface LeafVisitor {
    void visit(String path, Object value);
  }

  private static void leaves(JsonObject node, String prefix, LeafVisitor visitor) {
    for (String key : node.fieldNames()) {
      Object value = node.getValue(key);
      if (value instanceof JsonObject child) {
        leaves(child, prefix + key + ".", visitor);
      } else {
        visitor.visit(prefix + key, value);
      }
    }
  }
}
