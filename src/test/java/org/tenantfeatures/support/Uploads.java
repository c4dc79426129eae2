package org.tenantfeatures.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where Vert.x's body handler would store file uploads by default ({@code ./file-uploads}), for
 * the tests that show no request ever writes a file: they count the files before and after.
 */
public final class Uploads {

  public static final Path DIRECTORY = Path.of("file-uploads");

  private Uploads() {
  }

  /** Regular files under {@link #DIRECTORY}, at any depth; 0 if it does not exist. */
  public static long files() throws IOException {
    if (!Files.exists(DIRECTORY)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(DIRECTORY)) {
      return files.filter(Files::isRegularFile).count();
    }
  }
}
