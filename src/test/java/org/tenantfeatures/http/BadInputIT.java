package org.tenantfeatures.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;
import static org.tenantfeatures.support.badinput.BadInputPlan.ADMIN_TOKEN;
import static org.tenantfeatures.support.badinput.BadInputPlan.DEFAULT_SEED;
import static org.tenantfeatures.support.badinput.BadInputPlan.FLAGS;
import static org.tenantfeatures.support.badinput.BadInputPlan.REQUESTS;
import static org.tenantfeatures.support.badinput.BadInputPlan.VALID_EVERY;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;
import org.tenantfeatures.support.Uploads;
import org.tenantfeatures.support.badinput.Case;
import org.tenantfeatures.support.badinput.Checker;
import org.tenantfeatures.support.badinput.Generator;
import org.tenantfeatures.support.badinput.Runner;
import org.tenantfeatures.telemetry.MetricsSetup;

/**
 * A few thousand randomised bad requests against the running service: garbage headers, odd paths,
 * unusual methods, huge or broken bodies through an HTTP client, and protocol-level garbage through
 * a raw TCP socket. Valid requests are interleaved among them.
 *
 * <p>Over every answer: no 5xx; no body names an exception or an internal package; every 4xx is
 * {@code application/problem+json} with type, title, status (equal to the HTTP status) and detail;
 * every 200 is a complete answer. A request invalid at the protocol level may instead be answered
 * by closing the connection, and an incomplete one by waiting. The valid requests all get 200 and
 * the complete map, and no table changes.
 *
 * <p>One 5xx is tolerated, narrowly: Vert.x answers a request line whose version is well-formed
 * but neither HTTP/1.0 nor HTTP/1.1 ({@code GET / HTTP/1.2}) with an empty 501 before any handler
 * of the service runs (see {@code support.badinput.Checker}). It is counted in the log.
 *
 * <p>The cases come from one seed, logged at the start; replay a failing run with
 * {@code -Dbadinput.seed=<seed>}.
 *
 * <p>The machinery is in {@code org.tenantfeatures.support.badinput}: {@code Generator} makes the
 * cases, {@code Runner} sends them, {@code Checker} applies the rules above to every answer, and
 * {@code BadInputPlan} holds the numbers they share. This class holds the data and the verdict.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Bad input")
class BadInputIT {

  private static final Logger log = LoggerFactory.getLogger(BadInputIT.class);

  private static final List<String> TABLES = List.of("feature_flags", "tenant_features", "roles", "role_features", "audit_log",
      "tenant_revisions");
  /** The only label values a client's request may leave in the HTTP series: methods, then routes. */
  private static final List<String> METHOD_LABELS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
      "CONNECT", "OTHER");
  private static final List<String> ROUTE_LABELS = List.of("", Routes.FEATURES, Routes.ROLES,
      Routes.OVERRIDE, Routes.AUDIT, Routes.FLAGS, Routes.FLAGS + "/:name",
      "/health/live", "/health/ready", "/metrics", "/diagnostics/db", "/diagnostics/sql-trace");

  /** This test's Vert.x (with metrics), closed after it: closing it inside the chain would strand its last callbacks. */
  private Vertx own;

  @AfterEach
  void closeOwnVertx() throws Exception {
    if (own != null) {
      await(own.close(), Duration.ofSeconds(30));
    }
  }

  @Test
  @Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
  @DisplayName("3,000 malformed requests: no 5xx, no internals, every 4xx a problem, valid requests still answered, nothing written")
  void badInputNeverBreaksTheService(VertxTestContext ctx) throws Exception {
    // Fixed, so that every run sends the same cases and a failure replays; another with -Dbadinput.seed=N.
    long seed = Long.getLong("badinput.seed", DEFAULT_SEED);
    log.info("BadInputIT seed = {} (replay with -Dbadinput.seed={})", seed, seed);

    String dbUri = TestPostgres.shared().createDatabase();
    // An admin token too, so that write routes get past their checks to the body; every body an
    // admin sends here is one the service must refuse, so nothing may change.
    var config = TestConfig.forDatabase(dbUri).withToken("badinput-admin", ADMIN_TOKEN, "read", "write", "admin").build();
    int port = config.http().port();
    // With metrics, so that the label values the cases leave behind can be checked.
    Vertx vertx = Vertx.vertx(MetricsSetup.vertxOptions(config));
    own = vertx;
    long uploadsBefore = Uploads.files();

    // The tenant id is part of the cases, so it comes from the seed too.
    Generator generator = new Generator(seed);
    String tenant = generator.tenant();
    List<Case> cases = generator.cases(REQUESTS);

    AtomicReference<Map<String, Long>> rowsBefore = new AtomicReference<>();
    RunningService.deploy(vertx, config).compose(service -> vertx.executeBlocking(() -> {
      // The service has migrated the schema; the data goes in before the first request.
      Seed.flags(dbUri, FLAGS);
      Sql.execute(dbUri, "INSERT INTO tenant_features (tenant_id, feature_id, is_enabled) "
          + "SELECT '" + tenant + "', id, id % 2 = 0 FROM feature_flags WHERE id % 3 <> 0");
      Sql.execute(dbUri, "INSERT INTO roles (tenant_id, name, description) VALUES "
          + "('" + tenant + "', 'viewer', 'Reads'), ('" + tenant + "', 'admin', 'Everything')");
      rowsBefore.set(rowCounts(dbUri));
      return Sql.expectedMap(dbUri, tenant);
    })).compose(expected -> {
      assertThat(expected.size()).isEqualTo(FLAGS);
      assertThat(expected.getMap()).containsValue(true).containsValue(false);
      Runner runner = new Runner(vertx, port, generator.garbage());
      Checker checker = new Checker(expected, tenant);
      long started = System.nanoTime();
      return runner.runAll(cases, checker).map(v -> {
        runner.close();
        checker.report(seed, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return checker;
      });
    }).compose(checker -> vertx.executeBlocking(() -> new Outcome(checker, rowsBefore.get(), rowCounts(dbUri))))
        .compose(outcome -> scrape(vertx, port).map(metrics -> {
          outcome.metrics().append(metrics);
          return outcome;
        }))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          Checker checker = outcome.checker();
          assertThat(checker.finished()).as("every case finished").isEqualTo(REQUESTS);
          assertThat(checker.violations())
              .withFailMessage(() -> checker.summary(seed))
              .isEmpty();
          assertThat(checker.validSent()).isEqualTo(REQUESTS / VALID_EVERY);
          assertThat(checker.validOk()).as("valid requests answered with the complete map")
              .isEqualTo(checker.validSent());
          assertThat(outcome.rowsAfter()).as("row counts after the run").isEqualTo(outcome.rowsBefore());
          assertThat(Uploads.files()).as("files under ./file-uploads after the run").isEqualTo(uploadsBefore);
          assertClosedLabelSets(outcome.metrics().toString());
          ctx.completeNow();
        })));
  }

  record Outcome(Checker checker, Map<String, Long> rowsBefore, Map<String, Long> rowsAfter, StringBuilder metrics) {
    Outcome(Checker checker, Map<String, Long> rowsBefore, Map<String, Long> rowsAfter) {
      this(checker, rowsBefore, rowsAfter, new StringBuilder());
    }
  }

  /**
   * Every label a request can influence took a value from a closed set, whatever the 3,000 cases
   * sent: so no request can add a series that another request of its shape did not.
   */
  private static void assertClosedLabelSets(String metrics) {
    Pattern label = Pattern.compile("(method|route|code)=\"([^\"]*)\"");
    List<String> open = new ArrayList<>();
    metrics.lines().filter(l -> l.startsWith("vertx_http_server")).forEach(line -> {
      Matcher m = label.matcher(line);
      while (m.find()) {
        boolean closed = switch (m.group(1)) {
          case "method" -> METHOD_LABELS.contains(m.group(2));
          case "code" -> m.group(2).matches("[1-5][0-9][0-9]");
          default -> Arrays.stream(m.group(2).split(">")).allMatch(ROUTE_LABELS::contains);
        };
        if (!closed) {
          open.add(m.group(1) + "=" + m.group(2));
        }
      }
    });
    assertThat(open).as("label values outside their closed sets").isEmpty();
    assertThat(metrics).contains("method=\"OTHER\"");
  }

  private static Future<String> scrape(Vertx vertx, int port) {
    return vertx.createHttpClient().request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
        .compose(request -> request.send().compose(HttpClientResponse::body)).map(Buffer::toString);
  }

  private static Map<String, Long> rowCounts(String dbUri) {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c = Sql.connect(dbUri); Statement s = c.createStatement()) {
      for (String table : TABLES) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return counts;
  }
}
