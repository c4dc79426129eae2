package org.tenantfeatures.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An embedded server of a test's own that can be stopped and started again on the same port and
 * data, to take the database away from a running service and give it back.
 */
public final class StoppablePostgres implements Closeable {

  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres server;

  private StoppablePostgres(Path dataDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.port = port;
  }

  public static StoppablePostgres start() throws IOException {
    StoppablePostgres pg = new StoppablePostgres(Files.createTempDirectory("tf-stoppable-pg"), TestConfig.freePort());
    pg.startAgain();
    return pg;
  }

  public synchronized void startAgain() throws IOException {
    server = EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  /** Fast shutdown: the server ends every session and stops listening. */
  public synchronized void stop() throws IOException {
    server.close();
  }

  public String uri() {
    return "postgresql://postgres@localhost:" + port + "/postgres";
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      server.close();
    } finally {
      try (var paths = Files.walk(dataDirectory)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
