package org.tenantfeatures.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A released migration never changes, not even in a comment: Flyway validates the checksum of
 * every migration a database has applied, and a node whose copy differs refuses to start on it
 * ("Migration checksum mismatch"). A rename across the tree once rewrote a comment in V5; this
 * fails first. A new migration is added here when it is released.
 */
class MigrationsUnchangedTest {

  private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

  private static final Map<String, String> RELEASED = Map.of(
      "V1__feature_flags_and_roles.sql", "eef9e3f4a4ebd96a8168f17ed01e2433b8ab6c86ec0bbb8a334e164c20f1a714",
      "V2__revisions_audit_change_notifications.sql", "4f82bcf5afd2ccda18bfcca685fbe716ad53f2e789bf2bc0e6f6cc028164010e",
      "V3__global_audit_entries.sql", "72990d5d829a5f5ecb125a6a9a6a657fef9488c9691360fe6fd2103cb2a23a1c",
      "V4__tenant_features_by_flag.sql", "0b563f2fdc68b787c5b3a9afa0b2d20f0631cd636207e07c43d5379d9d42690b",
      "V5__catalogue_version_and_covering_key.sql", "6e4bd0e7b7fa39c34d9fbb6280efceb63feb499db2867f35abfe3f9e7a47c36a",
      "V6__release_model.sql", "bb892ec43981d0018da573e0371ff90aec25e581ac6411071862c77210906803");

  @Test
  @DisplayName("Every released migration is byte for byte what databases applied, and none is missing")
  void releasedMigrationsUnchanged() throws Exception {
    Map<String, String> found = new TreeMap<>();
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        found.put(file.getFileName().toString(),
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
      }
    }
    assertThat(found).as("the migrations in %s (a new one: add it to RELEASED)", MIGRATIONS).containsAllEntriesOf(RELEASED);
  }
}
