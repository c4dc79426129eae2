package org.tenantfeatures.boot;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.config.AppConfig;

/**
 * A PostgreSQL server started by the service itself when no {@code db.uri} is configured, so the
 * first run needs nothing but Java and Maven. Its data directory is kept between runs.
 */
public final class EmbeddedDatabase implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Blocking: unpacks the binaries on first use, runs initdb if the directory is new, starts. */
  public static EmbeddedDatabase start(AppConfig.Embedded config) throws IOException {
    Path dataDirectory = Path.of(config.dataDirectory()).toAbsolutePath();
    Files.createDirectories(dataDirectory.getParent());
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false);
    if (config.port() > 0) {
      builder.setPort(config.port());
    }
    EmbeddedPostgres postgres = builder.start();
    log.info("Embedded PostgreSQL on port {}, data in {}", postgres.getPort(), dataDirectory);
    return new EmbeddedDatabase(postgres);
  }

  /** The URI the pool connects with: the embedded server's superuser on its default database. */
  public String uri() {
    return uriFor(postgres.getPort());
  }

  /** Where an embedded server on {@code port} is reached; the diagnostic scripts use it too. */
  public static String uriFor(int port) {
    return "postgresql://postgres@localhost:" + port + "/postgres";
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
