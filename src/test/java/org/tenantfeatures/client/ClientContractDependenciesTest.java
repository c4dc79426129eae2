package org.tenantfeatures.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The event-bus contract is a library other teams' verticles depend on: it may use vertx-core and
 * the JDK, and nothing of the server (or any other library), or their build would drag the service
 * in. A plain scan of its sources' imports and fully qualified names is enough to hold that.
 */
@DisplayName("The client package depends on vertx-core and the JDK only")
class ClientContractDependenciesTest {

  private static final Path SOURCES = Path.of("src/main/java/org/tenantfeatures/client");
  private static final List<String> ALLOWED = List.of("java.", "io.vertx.core.", "org.tenantfeatures.client.");
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)\\s*;", Pattern.MULTILINE);
  /** A qualified name used without an import, such as {@code org.tenantfeatures.db.Foo.bar()}. */
  private static final Pattern QUALIFIED = Pattern.compile("\\b((?:org|io|com|net)\\.[a-z][\\w]*\\.[\\w.]+)");

  @Test
  @DisplayName("every import and qualified name in org.tenantfeatures.client is java.*, io.vertx.core.* or the package itself")
  void onlyVertxCoreAndTheJdk() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(files).as("the client's sources").isNotEmpty();
    for (Path file : files) {
      String source = Files.readString(file);
      Matcher imports = IMPORT.matcher(source);
      while (imports.find()) {
        String name = imports.group(1);
        assertThat(ALLOWED.stream().anyMatch(name::startsWith)).as("%s imports %s", file.getFileName(), name).isTrue();
      }
      String code = IMPORT.matcher(source).replaceAll("").replaceAll("(?m)^package [\\w.]+;", "")
          .replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
      Matcher qualified = QUALIFIED.matcher(code);
      while (qualified.find()) {
        String name = qualified.group(1);
        assertThat(ALLOWED.stream().anyMatch(name::startsWith)).as("%s names %s", file.getFileName(), name).isTrue();
      }
    }
  }
}
