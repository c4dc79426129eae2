package org.tenantfeatures.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/** One pgbouncer process in the foreground, configured by a generated ini file. */
public final class PgBouncerProcess {

  /** Server connections PgBouncer keeps per database and user: the test checks PostgreSQL saw no more. */
  public static final int SERVER_POOL_SIZE = 4;
  public static final List<String> CANDIDATE_BINARIES = List.of(
      "/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/sbin/pgbouncer", "/usr/local/bin/pgbouncer");
  private static final Duration PGBOUNCER_START_DEADLINE = Duration.ofSeconds(20);
  private static final Duration PGBOUNCER_STOP_DEADLINE = Duration.ofSeconds(10);

  /** The pgbouncer binary: one of {@link #CANDIDATE_BINARIES} or on PATH. */
  public static Optional<Path> locate() {
    return Executables.locate("pgbouncer", CANDIDATE_BINARIES);
  }

  private final ChildProcess child;
  private final int port;
  private final Path dir;

  private PgBouncerProcess(Process process, int port, Path dir) {
    this.child = new ChildProcess(process, "pgbouncer");
    this.port = port;
    this.dir = dir;
  }

  public static PgBouncerProcess start(Path binary, Path dir, String serverHost, int serverPort) throws Exception {
    int port = TestConfig.freePort();
    Path ini = dir.resolve("pgbouncer.ini");
    Path users = dir.resolve("userlist.txt");
    Files.writeString(users, "\"postgres\" \"\"\n", StandardCharsets.UTF_8);
    String host = "localhost".equals(serverHost) ? "127.0.0.1" : serverHost;
    Files.writeString(ini, String.join("\n",
        "[databases]",
        // Any database name goes to the embedded server, so each test's own database works.
        "* = host=" + host + " port=" + serverPort,
        "",
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        "listen_port = " + port,
        "unix_socket_dir =",
        // The embedded server trusts local connections; PgBouncer still wants the user listed.
        "auth_type = trust",
        "auth_file = " + users,
        "admin_users = postgres",
        "pool_mode = transaction",
        "default_pool_size = " + SERVER_POOL_SIZE,
        "min_pool_size = 0",
        "reserve_pool_size = 0",
        "max_client_conn = 200",
        // PgBouncer 1.18 refuses unknown startup parameters. JDBC (Flyway) sends
        // extra_float_digits; the service sends statement_timeout. application_name is tracked
        // natively, so it is not ignored and pg_stat_activity keeps showing the service's name.
        "ignore_startup_parameters = extra_float_digits,statement_timeout",
        "logfile = " + dir.resolve("pgbouncer.log"),
        "pidfile = " + dir.resolve("pgbouncer.pid"),
        ""), StandardCharsets.UTF_8);

    List<String> command = new ArrayList<>(List.of(binary.toString()));
    if (runningAsRoot()) {
      // PgBouncer refuses to run as root; it drops to nobody, who must own its files.
      UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.setOwner(p, nobody);
        }
      }
      command.addAll(List.of("-u", "nobody"));
    }
    command.add(ini.toString());
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("pgbouncer.out").toFile())
        .start();
    PgBouncerProcess bouncer = new PgBouncerProcess(process, port, dir);
    bouncer.child.awaitOrStop(bouncer::awaitAcceptingConnections, PGBOUNCER_STOP_DEADLINE);
    return bouncer;
  }

  public int port() {
    return port;
  }

  /** Polls until a client session through PgBouncer answers SELECT 1, or fails at the deadline. */
  private void awaitAcceptingConnections() throws InterruptedException {
    long deadline = System.nanoTime() + PGBOUNCER_START_DEADLINE.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!child.process().isAlive()) {
        fail("pgbouncer exited with status " + child.process().exitValue() + " before accepting connections:\n" + output());
      }
      try (Connection c = jdbc("postgres"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
        rs.next();
        return;
      } catch (SQLException e) {
        last = e;
      }
      Thread.sleep(25); // polling interval, not synchronisation: the loop ends on success or at the deadline
    }
    fail("pgbouncer did not accept connections on 127.0.0.1:" + port + " within " + PGBOUNCER_START_DEADLINE
        + " (last error: " + last + "):\n" + output());
  }

  /**
   * Client connections PgBouncer holds for a database, by the application name each client gave,
   * from its admin console's SHOW CLIENTS. Asked with the reactive client's simple query protocol:
   * pgjdbc takes the console's version (PgBouncer's own, 1.x) for an old server and sends SET
   * commands the console refuses.
   */
  public Map<String, Integer> clientConnections(Vertx vertx, String database) throws Exception {
    PgConnectOptions console = new PgConnectOptions()
        .setHost("127.0.0.1").setPort(port).setDatabase("pgbouncer").setUser("postgres");
    return Await.await(PgConnection.connect(vertx, console).compose(c -> c.query("SHOW CLIENTS").execute()
        .eventually(() -> c.close())
        .map(rows -> {
          Map<String, Integer> byApplication = new TreeMap<>();
          for (Row row : rows) {
            if (database.equals(row.getString("database"))) {
              byApplication.merge(String.valueOf(row.getString("application_name")), 1, Integer::sum);
            }
          }
          return byApplication;
        })));
  }

  private Connection jdbc(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    props.setProperty("connectTimeout", "2");
    props.setProperty("socketTimeout", "5");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
  }

  /** SIGTERM (PgBouncer's immediate shutdown), then SIGKILL if it has not exited in time. */
  public void stop() throws InterruptedException {
    assertThat(child.stop(PGBOUNCER_STOP_DEADLINE)).as("pgbouncer stopped").isTrue();
  }

  private String output() {
    StringBuilder text = new StringBuilder();
    for (String name : List.of("pgbouncer.out", "pgbouncer.log")) {
      Path file = dir.resolve(name);
      try {
        if (Files.exists(file)) {
          text.append("--- ").append(name).append('\n').append(Files.readString(file, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return text.toString();
  }

  private static boolean runningAsRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }
}
