package org.tenantfeatures.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server integration tests run on: the one named by {@code TF_TEST_DB_URI} (a
 * role that may create databases), or else one embedded server per test JVM. Each test class
 * gets a database of its own, so classes never see each other's rows.
 */
public final class TestPostgres {

  public static final String EXTERNAL_URI_ENV = "TF_TEST_DB_URI";

  private static TestPostgres shared;

  private final String adminUri;

  private TestPostgres(String adminUri) {
    this.adminUri = adminUri;
  }

  /** The JVM-wide server, started on first use. */
  public static synchronized TestPostgres shared() {
    if (shared == null) {
      String external = System.getenv(EXTERNAL_URI_ENV);
      shared = new TestPostgres(external != null && !external.isBlank() ? external : startEmbedded());
    }
    return shared;
  }

  /** A server at any admin URI, such as a Testcontainers one. */
  public static TestPostgres at(String adminUri) {
    return new TestPostgres(adminUri);
  }

  private static String startEmbedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException ignored) {
          // the JVM is going away; the temporary directory is removed with it
        }
      }));
      return "postgresql://postgres@localhost:" + pg.getPort() + "/postgres";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL for tests", e);
    }
  }

  /** Creates an empty database with a unique name and returns its URI. */
  public String createDatabase() {
    String name = "tf_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = Sql.connect(adminUri); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database", e);
    }
    return Sql.withDatabase(adminUri, name);
  }

  public String adminUri() {
    return adminUri;
  }

}
