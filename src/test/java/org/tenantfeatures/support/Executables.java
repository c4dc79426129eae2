package org.tenantfeatures.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Finding a program the tests run as a process of its own (pgbouncer, haproxy): where Debian puts it, or on PATH. */
final class Executables {

  private Executables() {
  }

  /** The first of {@code candidates}, then of {@code name} in each PATH directory, that is an executable file. */
  static Optional<Path> locate(String name, List<String> candidates) {
    Stream<Path> onPath = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name));
    return Stream.concat(candidates.stream().map(Path::of), onPath)
        .filter(Files::isRegularFile)
        .filter(Files::isExecutable)
        .findFirst();
  }
}
