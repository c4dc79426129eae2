package org.tenantfeatures.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.diagnostics.MetricsSetup;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;

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
 * of the service runs (see {@code Checker.checkAnswer}). It is counted in the log.
 *
 * <p>The cases come from one seed, logged at the start; replay a failing run with
 * {@code -Dbadinput.seed=<seed>}.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Bad input")
class BadInputIT {

  private static final Logger log = LoggerFactory.getLogger(BadInputIT.class);

  private static final int REQUESTS = 3_000;
  private static final long DEFAULT_SEED = 20261127L;
  private static final int CONCURRENCY = 16;
  /** Every this many cases one is a valid request that must get the complete answer. */
  private static final int VALID_EVERY = 10;
  private static final int FLAGS = 12;
  /** How long a raw-socket case may wait for the server to answer or close. */
  private static final long RAW_DEADLINE_MS = 2_000;
  /** Once a raw-socket case has a complete answer, how long a silence ends it. */
  private static final long RAW_QUIET_MS = 100;
  /** Longest a single case may take before it counts as stuck. */
  private static final long CASE_WATCHDOG_MS = 8_000;
  private static final int GARBAGE_BYTES = 8 * 1024 * 1024;

  private static final List<String> INTERNALS =
      List.of("exception", "at org.", "io.vertx", "java.", "org.tenantfeatures", "netty");
  private static final List<String> TABLES = List.of("feature_flags", "tenant_features", "roles", "role_features", "audit_log",
      "tenant_revisions");

  private static final String VALID_TOKEN = TestConfig.ALL_TENANTS_TOKEN;
  private static final JsonArray ROLES = new JsonArray()
      .add(new JsonObject().put("name", "admin").put("description", "Everything"))
      .add(new JsonObject().put("name", "viewer").put("description", "Reads"));

  // ---------------------------------------------------------------------------------------------
  // Cases

  enum Kind { VALID, CLIENT, RAW }

  enum BodyKind { NONE, FIXED, CHUNKED }

  /**
   * One request. A case with {@code raw} bytes goes over a plain socket: every {@link Kind#RAW}
   * case, and every {@link Kind#CLIENT} case the HTTP client would refuse to send or that may end
   * its connection (non-ASCII or over-long URI, header bytes the client rejects, headers over
   * 8 KB, hop-by-hop headers, huge bodies); the rest go through a keep-alive HTTP client.
   * {@code mayClose}: the request is invalid at the protocol level, so closing the connection
   * without an answer is acceptable. {@code mayHang}: the bytes are an incomplete request, so the
   * server may also just wait for more.
   */
  record Case(int index, Kind kind, String label, HttpMethod method, String uri, List<Map.Entry<String, String>> headers,
              BodyKind body, int bodySize, Buffer raw, boolean mayClose, boolean mayHang) {

    boolean head() {
      return HttpMethod.HEAD.equals(method);
    }

    String describe() {
      StringBuilder s = new StringBuilder("#").append(index).append(' ').append(kind).append(" [").append(label).append("] ");
      if (kind == Kind.RAW) {
        s.append(printable(raw.getBytes(0, Math.min(raw.length(), 300)))).append(raw.length() > 300 ? "... (" + raw.length() + " bytes)" : "");
      } else {
        s.append(method.name()).append(' ').append(abbreviate(uri, 200));
        for (Map.Entry<String, String> h : headers) {
          s.append(" | ").append(abbreviate(h.getKey(), 60)).append(": ").append(abbreviate(h.getValue(), 120));
        }
        if (body != BodyKind.NONE) {
          s.append(" | body ").append(body).append(' ').append(bodySize).append(" bytes");
        }
      }
      return s.toString();
    }
  }

  /** What came back: an answer, or the connection closed or silent, or the client failed. */
  record Answer(int status, String contentType, String body, String failure) {

    static Answer of(int status, String contentType, String body) {
      return new Answer(status, contentType, body, null);
    }

    static Answer failed(String failure) {
      return new Answer(-1, null, null, failure);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The test

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
    long uploadsBefore = filesUnder(UPLOADS);

    // The tenant id is part of the cases, so it comes from the seed too.
    Random random = new Random(seed);
    String tenant = new UUID(random.nextLong(), random.nextLong()).toString();
    Buffer garbage = randomBytes(random, GARBAGE_BYTES);
    Generator generator = new Generator(random, tenant, garbage);
    List<Case> cases = new ArrayList<>(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      cases.add(generator.next(i));
    }

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
      Runner runner = new Runner(vertx, port, garbage);
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
          assertThat(checker.answered.get() + checker.closed.get() + checker.silent.get())
              .as("every case finished").isEqualTo(REQUESTS);
          assertThat(checker.violations)
              .withFailMessage(() -> checker.summary(seed))
              .isEmpty();
          assertThat(checker.validSent.get()).isEqualTo(REQUESTS / VALID_EVERY);
          assertThat(checker.validOk.get()).as("valid requests answered with the complete map")
              .isEqualTo(checker.validSent.get());
          assertThat(outcome.rowsAfter()).as("row counts after the run").isEqualTo(outcome.rowsBefore());
          assertThat(filesUnder(UPLOADS)).as("files under ./file-uploads after the run").isEqualTo(uploadsBefore);
          assertClosedLabelSets(outcome.metrics().toString());
          ctx.completeNow();
        })));
  }

  /** This test's Vert.x (with metrics), closed after it: closing it inside the chain would strand its last callbacks. */
  private Vertx own;

  @org.junit.jupiter.api.AfterEach
  void closeOwnVertx() throws Exception {
    if (own != null) {
      own.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  record Outcome(Checker checker, Map<String, Long> rowsBefore, Map<String, Long> rowsAfter, StringBuilder metrics) {
    Outcome(Checker checker, Map<String, Long> rowsBefore, Map<String, Long> rowsAfter) {
      this(checker, rowsBefore, rowsAfter, new StringBuilder());
    }
  }

  private static final java.nio.file.Path UPLOADS = java.nio.file.Path.of("file-uploads");
  private static final String ADMIN_TOKEN = "badinput-admin-token";
  /** The only label values a client's request may leave in the HTTP series: methods, then routes. */
  private static final List<String> METHOD_LABELS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
      "CONNECT", "OTHER");
  private static final List<String> ROUTE_LABELS = List.of("", Routes.FEATURES, Routes.ROLES,
      Routes.OVERRIDE, Routes.AUDIT, Routes.FLAGS, Routes.FLAGS + "/:name",
      "/health/live", "/health/ready", "/metrics", "/diagnostics/db", "/diagnostics/sql-trace");

  private static long filesUnder(java.nio.file.Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return 0;
    }
    try (var files = java.nio.file.Files.walk(dir)) {
      return files.filter(java.nio.file.Files::isRegularFile).count();
    }
  }

  private static Future<String> scrape(Vertx vertx, int port) {
    return vertx.createHttpClient().request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
        .compose(request -> request.send().compose(HttpClientResponse::body)).map(Buffer::toString);
  }

  /**
   * Every label a request can influence took a value from a closed set, whatever the 3,000 cases
   * sent: so no request can add a series that another request of its shape did not.
   */
  private static void assertClosedLabelSets(String metrics) {
    java.util.regex.Pattern label = java.util.regex.Pattern.compile("(method|route|code)=\"([^\"]*)\"");
    List<String> open = new ArrayList<>();
    metrics.lines().filter(l -> l.startsWith("vertx_http_server")).forEach(line -> {
      var m = label.matcher(line);
      while (m.find()) {
        boolean closed = switch (m.group(1)) {
          case "method" -> METHOD_LABELS.contains(m.group(2));
          case "code" -> m.group(2).matches("[1-5][0-9][0-9]");
          default -> java.util.Arrays.stream(m.group(2).split(">")).allMatch(ROUTE_LABELS::contains);
        };
        if (!closed) {
          open.add(m.group(1) + "=" + m.group(2));
        }
      }
    });
    assertThat(open).as("label values outside their closed sets").isEmpty();
    assertThat(metrics).contains("method=\"OTHER\"");
  }

  // ---------------------------------------------------------------------------------------------
  // Generating cases

  /** Makes the cases from one {@link Random}; the same seed gives the same cases in the same order. */
  static final class Generator {

    private static final String[] METHODS = {"GET", "GET", "GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH",
        "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "M-SEARCH", "PURGE", "FOO", "get", "Get", "QUERY", "LINK"};

    private static final String[] ODD_PATHS = {
        "/api/v3/features/tenant/../..", "/api/v3/features/tenant/..", "/api/v3/features/tenant/%2e%2e/%2e%2e",
        "/api/v3/features/tenant/..%2f..%2f", "/api/v3/features/tenant%2f..%2f..", "//api/v3/features/tenant",
        "/api//v3/features/tenant", "/api/v3/features/tenant/", "/api/v3/features/tenant//", "/./api/v3/./features/tenant",
        "/API/V3/FEATURES/TENANT", "/api/v3/features/tenant%20", "/api/v3/features/tenant%00", "/api/v3/features/%74enant",
        "/api/v3/features/tenant;jsessionid=1", "/api/v3/features/tenant%zz", "/%zz", "/%", "/%2", "/%%%", "/%c0%ae%c0%ae/",
        "/%ff%fe%fd", "/api/v3/features/tenant/%2e%2e%5c", "/api/v3/rbac/roles/../../features/tenant",
        "/api/v3/rbac/roles/%2e%2e/%2e%2e/features/tenant", "/api/v3/features", "/api/v3/", "/", "/api/v3/features/tenant/extra",
        "/../../../etc/passwd", "/api/v3/features/tenant/..;/..;/", "/api/v3/features/tenant%23frag", "/api/v3/%2e/features/tenant",
        "/api/v3/features/tenant.json", "/api/v3/features/tenant%3Fraw_sql=true", "/api/v3/features/tenant/*", "*",
        "/api/v3/features/%u0074enant", "/%2F%2F%2F", "/api/v3/features/tenant%09", "/api/v3/features/tenant%0d%0a",
        "/ünïcödé/é", "/api/v3/features/ténant", "/日本語/パス", "/api/v3/features/tenant/😀", "/\u202e/api",
        "/api/v3/features/tenant\\..\\..", "/api\\v3\\features\\tenant"};

    private static final String[] QUERIES = {
        "", "", "", "", "?raw_sql=true&no_prepare=true&statement_cache_size=0", "?a=%zz", "?%", "?&&&===&", "?tenant=%27%20OR%201%3D1%20--",
        "??", "?a=%00", "?;DROP%20TABLE%20feature_flags;--", "?%E6%97%A5=%E8%AA%9E", "?x=%", "?a[]=1&a[]=2",
        "?__proto__[x]=1", "?%%%%", "?raw_sql=SELECT%20*%20FROM%20roles", "?=", "?a=1#frag", "?日本=語"};

    private static final String UUID_SAMPLE = "550e8400-e29b-41d4-a716-446655440000";

    private static final String[] BAD_NAMES = {"a%00b", "%00", "flag%01", "x%0d%0ay", "no_such_flag", "A", "%7f", "a%e2%80%aeb",
        "f".repeat(101), "%c0%80"};

    private final Random r;
    private final String tenant;
    private final Buffer garbage;

    Generator(Random r, String tenant, Buffer garbage) {
      this.r = r;
      this.tenant = tenant;
      this.garbage = garbage;
    }

    Case next(int i) {
      if (i % VALID_EVERY == 0) {
        boolean roles = (i / VALID_EVERY) % 4 == 3;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Authorization", "Bearer " + VALID_TOKEN));
        headers.add(Map.entry("X-Tenant-ID", r.nextBoolean() ? tenant : tenant.toUpperCase(Locale.ROOT)));
        String uri = (roles ? Routes.ROLES : Routes.FEATURES)
            + (r.nextBoolean() ? "?raw_sql=true&no_prepare=true&statement_cache_size=0" : "");
        return new Case(i, Kind.VALID, roles ? "valid roles" : "valid features", HttpMethod.GET, uri, headers,
            BodyKind.NONE, 0, null, false, false);
      }
      return r.nextInt(100) < 14 ? raw(i) : client(i);
    }

    // --- HTTP client cases ---------------------------------------------------------------------

    private Case client(int i) {
      List<String> labels = new ArrayList<>();
      HttpMethod method = HttpMethod.valueOf(r.nextInt(15) == 0 ? "X" + randomToken(1 + r.nextInt(12)).toUpperCase(Locale.ROOT)
          : pick(METHODS));
      if (!method.equals(HttpMethod.GET)) {
        labels.add("method");
      }
      String uri = path(labels) + query(labels);
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      authorization(headers, labels);
      tenantId(headers, labels);
      boolean hopByHop = extras(headers, labels);
      BodyKind body = BodyKind.NONE;
      int size = 0;
      int b = r.nextInt(100);
      if (b < 8) {
        body = BodyKind.FIXED;
        size = 1 + r.nextInt(2_000);
      } else if (b < 13) {
        body = BodyKind.CHUNKED;
        size = 1 + r.nextInt(20_000);
      } else if (b < 15) {
        body = r.nextBoolean() ? BodyKind.FIXED : BodyKind.CHUNKED;
        size = 256 * 1024 + r.nextInt(GARBAGE_BYTES - 256 * 1024);
        labels.add("huge body");
      }
      if (body != BodyKind.NONE) {
        labels.add("body " + body.name().toLowerCase(Locale.ROOT));
        if (r.nextBoolean()) {
          headers.add(Map.entry("Content-Type", pick("application/json", "application/x-www-form-urlencoded",
              "multipart/form-data; boundary=", "text/plain; charset=utf-9", "application/octet-stream", "%%%/%%%")));
        }
      }
      int headerBytes = headers.stream().mapToInt(h -> h.getKey().length() + h.getValue().length() + 4).sum();
      // Invalid at the protocol level: the server answers 400/414/431 and closes, and when it closes
      // while a large body is still arriving, the reset can overtake its answer.
      boolean protocolInvalid = uri.length() > 4_000 || headerBytes > 8_000 || !isPlain(uri, false)
          || headers.stream().anyMatch(h -> !isToken(h.getKey()) || hasControl(h.getValue()));
      boolean plainHeaders = headers.stream().allMatch(h -> isPlain(h.getKey(), false) && isPlain(h.getValue(), true));
      boolean socket = protocolInvalid || !plainHeaders || hopByHop || size > 64 * 1024;
      Buffer raw = socket ? serialize(method, uri, headers, body, size) : null;
      if (socket) {
        labels.add("sent on a socket");
      }
      return new Case(i, Kind.CLIENT, String.join(", ", labels), method, uri, headers, body, size, raw, protocolInvalid, false);
    }

    /** The request as an HTTP/1.1 client would write it, but with any bytes at all: UTF-8 where not ASCII. */
    private Buffer serialize(HttpMethod method, String uri, List<Map.Entry<String, String>> headers, BodyKind body, int size) {
      StringBuilder head = new StringBuilder(method.name()).append(' ').append(uri).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      headers.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
      switch (body) {
        case FIXED -> head.append("Content-Length: ").append(size).append("\r\n");
        case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
        default -> {
        }
      }
      Buffer out = utf8(head.append("\r\n").toString());
      if (body == BodyKind.FIXED) {
        out.appendBuffer(garbage, 0, size);
      } else if (body == BodyKind.CHUNKED) {
        int piece = Math.max(1, size / 7);
        for (int offset = 0; offset < size; offset += piece) {
          int length = Math.min(piece, size - offset);
          out.appendString(Integer.toHexString(length) + "\r\n").appendBuffer(garbage, offset, length).appendString("\r\n");
        }
        out.appendString("0\r\n\r\n");
      }
      return out;
    }

    private String path(List<String> labels) {
      int p = r.nextInt(100);
      if (p < 40) {
        return Routes.FEATURES;
      }
      if (p < 50) {
        return Routes.ROLES;
      }
      if (p < 56) {
        labels.add("write path");
        // Names no flag has, control characters among them: even an admin's write changes nothing.
        return pick(Routes.FLAGS, Routes.AUDIT, Routes.FLAGS + "/" + pick(BAD_NAMES),
            Routes.FEATURES + "/" + pick(BAD_NAMES));
      }
      if (p < 80) {
        labels.add("odd path");
        return pick(ODD_PATHS);
      }
      if (p < 92) {
        labels.add("random path");
        StringBuilder s = new StringBuilder();
        int segments = 1 + r.nextInt(8);
        for (int k = 0; k < segments; k++) {
          s.append('/').append(pathSegment(1 + r.nextInt(20)));
        }
        return safePath(s.toString());
      }
      labels.add("long path");
      int length = pickInt(500, 2_000, 4_000, 5_000, 9_000, 20_000);
      StringBuilder s = new StringBuilder(Routes.FEATURES).append('/');
      while (s.length() < length) {
        s.append(pathSegment(1 + r.nextInt(30))).append(r.nextInt(4) == 0 ? "/" : "");
      }
      return safePath(s.toString());
    }

    private String pathSegment(int length) {
      String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@%";
      StringBuilder s = new StringBuilder();
      for (int k = 0; k < length; k++) {
        int c = r.nextInt(100);
        if (c < 80) {
          s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        } else if (c < 88) {
          s.append(pick("%2e", "%2f", "%5c", "%00", "%zz", "%", "%e2%80%ae", "%c0%af", "..", "//"));
        } else if (c < 95) {
          s.append(pick("é", "ü", "日", "😀", "\u0430", "\uff0e", "\u2215"));
        } else {
          s.append(pick(" ", "\t", "\"", "<", ">", "\\", "^", "`", "{", "|", "}"));
        }
      }
      return s.toString();
    }

    /** Paths are echoed in 404 details; keep the words the body check looks for out of them. */
    private static String safePath(String path) {
      String lower = path.toLowerCase(Locale.ROOT);
      for (String word : INTERNALS) {
        if (lower.contains(word)) {
          return safePath(lower.replace(word, "x"));
        }
      }
      return path;
    }

    private String query(List<String> labels) {
      String q = pick(QUERIES);
      if (r.nextInt(20) == 0) {
        StringBuilder s = new StringBuilder("?");
        int n = 1 + r.nextInt(600);
        for (int k = 0; k < n; k++) {
          s.append("a").append(k).append('=').append(r.nextInt()).append('&');
        }
        q = s.toString();
      }
      if (!q.isEmpty()) {
        labels.add("query");
      }
      return q;
    }

    private void authorization(List<Map.Entry<String, String>> headers, List<String> labels) {
      int a = r.nextInt(100);
      String value;
      if (a < 38) {
        value = "Bearer " + VALID_TOKEN;
      } else if (a < 45) {
        value = "Bearer " + ADMIN_TOKEN;
        labels.add("admin");
      } else if (a < 50) {
        value = null;
        labels.add("no auth");
      } else {
        labels.add("bad auth");
        value = pick(
            "Bearer", "Bearer ", "Bearer  ", "bearer " + VALID_TOKEN, "BEARER " + VALID_TOKEN, "Bearer  " + VALID_TOKEN,
            "Bearer\t" + VALID_TOKEN, "Basic dXNlcjpwYXNz", "Basic " + VALID_TOKEN, "Digest username=\"admin\", realm=\"x\"",
            "Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEF", "Token " + VALID_TOKEN, VALID_TOKEN, "Bearer " + VALID_TOKEN + "x",
            "Bearer " + VALID_TOKEN.toUpperCase(Locale.ROOT), "Bearer " + TestConfig.SCOPED_TOKEN, "Bearer ' OR 1=1 --",
            "Bearer \"" + VALID_TOKEN + "\"", "Bearer " + VALID_TOKEN + ", Bearer other", "", " ", "Bearer null",
            "Bearer " + "A".repeat(100 + r.nextInt(7_000)), "Bearer " + "tökén-ünïcödé-日本", "Bearer \u0430\u0435\u043e",
            "Bearer " + randomAscii(1 + r.nextInt(200)), randomAscii(1 + r.nextInt(300)));
      }
      if (value != null) {
        headers.add(Map.entry("Authorization", value));
      }
      if (r.nextInt(25) == 0) {
        labels.add("two Authorization");
        headers.add(r.nextInt(headers.size() + 1), Map.entry("Authorization",
            r.nextBoolean() ? "Bearer " + VALID_TOKEN : "Basic Zm9vOmJhcg=="));
      }
    }

    private void tenantId(List<Map.Entry<String, String>> headers, List<String> labels) {
      int t = r.nextInt(100);
      String value;
      if (t < 35) {
        value = r.nextBoolean() ? tenant : randomUuid();
      } else if (t < 40) {
        value = null;
        labels.add("no tenant");
      } else {
        labels.add("bad tenant");
        String upper = tenant.toUpperCase(Locale.ROOT);
        value = pick(
            "", " ", "not-a-uuid", "' OR 1=1 --", "'; DROP TABLE tenant_features; --", tenant + "' OR '1'='1",
            tenant + "; DELETE FROM roles", "1' UNION SELECT name, true FROM feature_flags --", "{" + tenant + "}",
            "urn:uuid:" + tenant, tenant.replace("-", ""), tenant + "0", tenant.substring(1), tenant.replace('-', '_'),
            "1-2-3-4-5", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
            TestConfig.SCOPED_TENANT, " " + tenant + " ", "\t" + upper, tenant + "\t", toFullWidth(tenant),
            tenant.replace('e', '\u0435'), toArabicIndic(tenant), tenant.replace('0', 'O'), tenant.replace("-", "\u2010"),
            UUID_SAMPLE.substring(0, 23), "%35%35%30%65", "null", "undefined", "*", "[]", "{}", "true", "-1",
            "x".repeat(100 + r.nextInt(7_000)), tenant.repeat(2), tenant + "," + randomUuid(), randomAscii(1 + r.nextInt(100)),
            "ünïcödé", "日本語", "😀");
      }
      if (value != null) {
        headers.add(Map.entry("X-Tenant-ID", value));
      }
      if (r.nextInt(15) == 0) {
        labels.add("several X-Tenant-ID");
        int n = 1 + r.nextInt(3);
        for (int k = 0; k < n; k++) {
          headers.add(r.nextInt(headers.size() + 1), Map.entry(pick("X-Tenant-ID", "x-tenant-id", "X-TENANT-ID"),
              pick(tenant, randomUuid(), "garbage", "", TestConfig.SCOPED_TENANT)));
        }
      }
    }

    /** Adds other headers; true if one of them is hop-by-hop and so needs a connection of its own. */
    private boolean extras(List<Map.Entry<String, String>> headers, List<String> labels) {
      boolean hopByHop = false;
      int n = r.nextInt(100) < 60 ? 0 : 1 + r.nextInt(3);
      for (int k = 0; k < n; k++) {
        int e = r.nextInt(15);
        switch (e) {
          case 0 -> headers.add(Map.entry("Accept", pick("application/xml", "text/html", "*/*;q=garbage", "application/problem+json",
              "image/*", ";;;", "application/json; charset=ebcdic")));
          case 1 -> headers.add(Map.entry("Content-Type", pick("application/json", "%%%", "multipart/form-data")));
          case 2 -> headers.add(Map.entry(pick("X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded", "X-Real-IP"),
              pick("127.0.0.1", "evil.example", "for=unknown;host=evil", "javascript:alert(1)", "::::", "ftp", "")));
          case 3 -> headers.add(Map.entry("Cookie", "session=" + "c".repeat(r.nextInt(3_000))));
          case 4 -> headers.add(Map.entry("Range", pick("bytes=0-1", "bytes=-5", "bytes=a-b", "lines=1-2")));
          case 5 -> headers.add(Map.entry(pick("If-None-Match", "If-Modified-Since", "Cache-Control"),
              pick("*", "\"x\"", "Thu, 01 Jan 1970 00:00:00 GMT", "garbage", "no-cache, max-age=-1")));
          case 6 -> headers.add(Map.entry("Accept-Encoding", pick("gzip", "br, deflate", "identity;q=0", "*;q=0", "x-unknown")));
          case 7 -> headers.add(Map.entry("Content-Encoding", pick("gzip", "br", "x-unknown")));
          case 8 -> headers.add(Map.entry(randomToken(1 + r.nextInt(40)), randomAscii(r.nextInt(200))));
          case 9 -> {
            labels.add("many headers");
            int count = 50 + r.nextInt(300);
            for (int h = 0; h < count; h++) {
              headers.add(Map.entry("X-Pad-" + h, randomAscii(5 + r.nextInt(40))));
            }
          }
          case 10 -> {
            labels.add("huge header");
            headers.add(Map.entry(pick("X-Huge", "X-Tenant-ID", "Authorization", "Cookie"), "h".repeat(8_500 + r.nextInt(30_000))));
          }
          case 11 -> headers.add(Map.entry("X-Unicode", pick("ünïcödé", "日本語", "😀", "\u0000\u0001", "\u00ff\u00fe")));
          case 12 -> {
            hopByHop = true;
            headers.add(Map.entry("Connection", pick("close", "keep-alive, Upgrade", "garbage", "TE")));
          }
          case 13 -> {
            hopByHop = true;
            headers.add(Map.entry("Upgrade", pick("websocket", "foo/1", "HTTP/3.0")));
          }
          default -> {
            hopByHop = true;
            headers.add(Map.entry("Expect", pick("100-continue", "garbage", "200-ok")));
          }
        }
      }
      if (n > 0) {
        labels.add("extra headers");
      }
      return hopByHop;
    }

    // --- raw socket cases ----------------------------------------------------------------------

    private Case raw(int i) {
      String auth = "Authorization: Bearer " + VALID_TOKEN + "\r\n";
      String tid = "X-Tenant-ID: " + tenant + "\r\n";
      String host = "Host: 127.0.0.1\r\n";
      String valid = "GET " + Routes.FEATURES + " HTTP/1.1\r\n" + host + auth + tid;
      int c = r.nextInt(44);
      String admin = "Authorization: Bearer " + ADMIN_TOKEN + "\r\n";
      return switch (c) {
        case 35 -> {
          // A file upload, anonymous or as an admin, to any route that takes a body: never stored.
          String boundary = "b" + randomToken(10);
          String part = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"" + pick("x.txt", "../../x",
              "/etc/passwd", "a\u0000b") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + randomAscii(1 + r.nextInt(4_000))
              + "\r\n--" + boundary + "--\r\n";
          yield rawCase(i, "multipart upload", pick("POST " + Routes.FLAGS, "PATCH " + Routes.FLAGS + "/flag_001",
              "PUT " + Routes.FEATURES + "/flag_001", "PUT /diagnostics/sql-trace", "POST " + Routes.FEATURES)
              + " HTTP/1.1\r\n" + host + (r.nextBoolean() ? admin : "") + tid + "Content-Type: multipart/form-data; boundary="
              + boundary + "\r\nContent-Length: " + part.length() + "\r\nConnection: close\r\n\r\n" + part, true, false);
        }
        case 36 -> {
          // JSON an admin may send, with control characters where names and descriptions go.
          // Each is refused by every route it goes to: each has a description with a control
          // character, as a PATCH would write any valid one (or "" for none).
          String body = pick("{\"name\":\"a\\u0000b\",\"description\":\"x\\u0000\"}", "{\"name\":\"ok_name\",\"description\":\"x\\u0000y\"}",
              "{\"description\":\"\\u0000\"}", "{\"description\":\"\\u001b[31m\"}", "{\"enabled\":\"\\u0000\",\"description\":\"\\u0000\"}",
              "{\"name\":\"ok\\u0007name\",\"description\":\"\\u0007\"}");
          yield rawCase(i, "control characters in JSON", pick("POST " + Routes.FLAGS, "PATCH " + Routes.FLAGS
              + "/flag_001", "PUT " + Routes.FEATURES + "/flag_001") + " HTTP/1.1\r\n" + host + admin + tid
              + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body,
              true, false);
        }
        case 37 -> rawCase(i, "HTTP/1.0 with Transfer-Encoding", "POST " + Routes.FLAGS + " HTTP/1.0\r\n" + host + admin
            + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
            + "GET " + Routes.FLAGS + " HTTP/1.1\r\n" + host + admin + "\r\n", true, false);
        case 38 -> rawCase(i, "made-up method", "X" + randomToken(1 + r.nextInt(20)).toUpperCase(Locale.ROOT) + " "
            + pick(Routes.FEATURES, Routes.FLAGS, "/x") + " HTTP/1.1\r\n" + host + auth + tid
            + "Connection: close\r\n\r\n", true, false);
        case 0 -> rawCase(i, "garbage line", randomAscii(1 + r.nextInt(200)) + "\r\n\r\n", true, false);
        case 1 -> rawCase(i, "binary garbage", concat(randomBytes(r, 1 + r.nextInt(300)), ascii("\r\n\r\n")), true, false);
        case 2 -> rawCase(i, "HTTP/0.9", "GET " + Routes.FEATURES + "\r\n", true, false);
        case 3 -> rawCase(i, "malformed request line", pick("GET\r\n\r\n", "GET / HTTP/1.1 extra\r\n" + host + "\r\n",
            "GET  HTTP/1.1\r\n" + host + "\r\n", "/ HTTP/1.1\r\n" + host + "\r\n", "GET / HTTP/1.2\r\n" + host + "\r\n",
            "GET / HTTP/2.0\r\n" + host + "\r\n", "GET / HTTP/10.1\r\n" + host + "\r\n", "GET / http/1.1\r\n" + host + "\r\n",
            "GET / FOO/1.1\r\n" + host + "\r\n", "G\u0000ET / HTTP/1.1\r\n" + host + "\r\n", "GET /\u0000 HTTP/1.1\r\n" + host + "\r\n",
            "GET\t/\tHTTP/1.1\r\n" + host + "\r\n", "GET / HTTP/1.1\n" + host + "\n", "GET / HTTP/1.1\r" + host + "\r\r\n",
            "GET /a b c d HTTP/1.1\r\n" + host + "\r\n", " GET / HTTP/1.1\r\n" + host + "\r\n", "GET / HTTP/\r\n\r\n",
            "GET / HTTP/1.\r\n\r\n", "GET / HTTP/1.1.1\r\n\r\n", "get / http/1.1\r\n\r\n", "\u00ff\u00fe / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1 \r\n" + host + "\r\n"), true, false);
        case 4 -> rawCase(i, "long request line", "GET " + Routes.FEATURES + "/" + "a".repeat(pickInt(4_100, 8_200, 70_000))
            + " HTTP/1.1\r\n" + host + "\r\n", true, false);
        case 5 -> rawCase(i, "header > 8 KB", valid + "X-Big: " + "b".repeat(8_200 + r.nextInt(60_000)) + "\r\n\r\n", true, false);
        case 6 -> {
          StringBuilder s = new StringBuilder(valid);
          int count = 300 + r.nextInt(700);
          for (int k = 0; k < count; k++) {
            s.append("X-Pad-").append(k).append(": ").append(randomToken(20)).append("\r\n");
          }
          yield rawCase(i, "headers > 8 KB in total", s.append("\r\n").toString(), true, false);
        }
        case 7 -> rawCase(i, "invalid header", "GET " + Routes.FEATURES + " HTTP/1.1\r\n" + host + auth + pick(
            "X Tenant-ID: " + tenant + "\r\n", "X-Tenant-ID : " + tenant + "\r\n", ": novalue\r\n", "NoColonHeader\r\n",
            "X-Tenant-ID: " + tenant + "\u0000\r\n", "X-Tenant-ID: a\rb\r\n", "X-Tenant-ID: \r\n " + tenant + "\r\n",
            "X-Tenant-ID:" + tenant + "\r\n\tfolded\r\n", "X-T\u00e9nant-ID: " + tenant + "\r\n", "X-Tenant-ID\u0000: x\r\n",
            "\u0001\u0002: \u0003\r\n", "X-Tenant-ID: \u007f\r\n", "(X): y\r\n", "X-Tenant-ID:: " + tenant + "\r\n") + "\r\n", true, false);
        case 8 -> rawCase(i, "non-UTF-8 header bytes", concat(ascii("GET " + Routes.FEATURES + " HTTP/1.1\r\n" + host + auth
            + pick("X-Tenant-ID: ", "Authorization: Bearer ", "X-Other: ")), concat(pickBytes(), ascii("\r\n\r\n"))), true, false);
        case 9 -> rawCase(i, "UTF-8 header value", concat(ascii("GET " + Routes.FEATURES + " HTTP/1.1\r\n" + host + auth
            + "X-Tenant-ID: "), concat(utf8(pick(toFullWidth(tenant), tenant.replace('e', '\u0435'), toArabicIndic(tenant), "日本語")),
            ascii("\r\n\r\n"))), true, false);
        case 10 -> rawCase(i, "missing Host (HTTP/1.1)", "GET " + Routes.FEATURES + " HTTP/1.1\r\n" + auth + tid
            + "Connection: close\r\n\r\n", true, false);
        case 11 -> rawCase(i, "bad Host", "GET " + Routes.FEATURES + " HTTP/1.1\r\n" + pick("Host: :::::\r\n",
            "Host: a b\r\n", "Host: evil.example:99999\r\n", "Host: [::1\r\n", "Host: \r\n", "Host: 127.0.0.1\r\nHost: evil.example\r\n",
            "Host: @evil\r\n", "Host: 127.0.0.1:-1\r\n") + auth + tid + "Connection: close\r\n\r\n", true, false);
        case 12 -> rawCase(i, "bad Content-Length", valid + "Content-Length: " + pick("-1", "abc", "1e3", "99999999999999999999",
            " 5", "5, 6", "0x10", "+5", "") + "\r\nConnection: close\r\n\r\nhello", true, false);
        case 13 -> rawCase(i, "two Content-Length", valid + "Content-Length: 5\r\nContent-Length: 7\r\nConnection: close\r\n\r\nhello!!",
            true, false);
        case 14 -> rawCase(i, "Content-Length and chunked", valid + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"
            + "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n", true, false);
        case 15 -> rawCase(i, "Content-Length larger than the body", valid + "Content-Length: " + (100 + r.nextInt(1_000_000))
            + "\r\nConnection: close\r\n\r\nshort", true, true);
        case 16 -> rawCase(i, "Content-Length smaller than the body", valid + "Content-Length: 2\r\n\r\nhello world "
            + randomAscii(r.nextInt(100)) + "\r\n\r\n", true, false);
        case 17 -> rawCase(i, "broken chunked body", valid + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + pick(
            "zz\r\nhello\r\n0\r\n\r\n", "ffffffffffffffffff\r\nhello\r\n0\r\n\r\n", "-5\r\nhello\r\n0\r\n\r\n",
            "5\r\nhelloEXTRA\r\n0\r\n\r\n", "5;ext=\"\u0000\"\r\nhello\r\n0\r\n\r\n", "5\r\nhel", "\r\n\r\n\r\n"), true, true);
        case 18 -> rawCase(i, "odd Transfer-Encoding", valid + "Transfer-Encoding: " + pick("gzip, chunked", "chunked, gzip",
            "xchunked", "chunked\r\nTransfer-Encoding: chunked", " chunked", "identity", "CHUNKED")
            + "\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n", true, true);
        case 19 -> rawCase(i, "CONNECT", pick("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n",
            "CONNECT evil.example:80 HTTP/1.1\r\n\r\n", "CONNECT / HTTP/1.1\r\n" + host + "\r\n"), true, false);
        case 20 -> rawCase(i, "OPTIONS *", "OPTIONS * HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", true, false);
        case 21 -> rawCase(i, "absolute-form", "GET " + pick("http://127.0.0.1" + Routes.FEATURES,
            "http://evil.example" + Routes.FEATURES, "https://127.0.0.1:1" + Routes.FEATURES,
            "http://[::1" + Routes.FEATURES, "http:" + Routes.FEATURES, "ftp://x/y", "//evil/x",
            "http://user:pw@127.0.0.1" + Routes.FEATURES, "mailto:a@b", "javascrip:x")
            + " HTTP/1.1\r\n" + host + auth + tid + "Connection: close\r\n\r\n", true, false);
        case 22 -> rawCase(i, "raw odd path", concat(ascii("GET "), concat(pickPathBytes(), ascii(" HTTP/1.1\r\n" + host + auth + tid
            + "Connection: close\r\n\r\n"))), true, false);
        case 23 -> rawCase(i, "pipelined valid + garbage", valid + "\r\n" + randomAscii(1 + r.nextInt(100)) + "\r\n\r\n", true, false);
        case 24 -> rawCase(i, "HTTP/1.0 valid", "GET " + Routes.FEATURES + " HTTP/1.0\r\n" + auth + tid + "\r\n", true, false);
        case 25 -> rawCase(i, "only line breaks", "\r\n\r\n\r\n", true, true);
        case 26 -> rawCase(i, "TLS ClientHello on the plain port", concat(Buffer.buffer(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5,
            0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03}), randomBytes(r, 160)), true, true);
        case 27 -> rawCase(i, "NUL bytes", concat(Buffer.buffer(new byte[64 + r.nextInt(512)]), ascii("\r\n\r\n")), true, true);
        case 28 -> rawCase(i, "raw unusual method", pick("BREW", "PRI-ISH", "M-SEARCH", "DELETE", "TRACE", "A".repeat(300),
            "G-E-T", "GET\u0000", "\u00c7ET") + " " + Routes.FEATURES + " HTTP/1.1\r\n" + host + auth + tid
            + "Connection: close\r\n\r\n", true, false);
        case 29 -> rawCase(i, "header without value terminator", valid + "X-Half: value", true, true);
        case 30 -> rawCase(i, "LF-only line ends", "GET " + Routes.FEATURES + " HTTP/1.1\n" + "Host: 127.0.0.1\n"
            + "Authorization: Bearer " + VALID_TOKEN + "\nX-Tenant-ID: " + tenant + "\nConnection: close\n\n", true, false);
        case 31 -> rawCase(i, "request smuggling shape", "POST " + Routes.FEATURES + " HTTP/1.1\r\n" + host
            + "Content-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/v3/rbac/roles HTTP/1.1\r\nX: x", true, true);
        case 32 -> rawCase(i, "huge body to a GET", concat(ascii(valid + "Connection: close\r\nContent-Length: 4000000\r\n\r\n"),
            Buffer.buffer(new byte[4_000_000])), true, false);
        case 33 -> rawCase(i, "Expect: 100-continue", valid + "Expect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n",
            true, true);
        case 34 -> rawCase(i, "header name with UTF-8", concat(ascii("GET / HTTP/1.1\r\n" + host), concat(utf8("Tënant-日本: x\r\n"),
            ascii("\r\n"))), true, false);
        default -> {
          // The valid request with one byte of it replaced by a random one.
          byte[] bytes = (valid + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
          int flips = 1 + r.nextInt(3);
          for (int k = 0; k < flips; k++) {
            bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
          }
          yield rawCase(i, "mutated valid request", Buffer.buffer(bytes), true, true);
        }
      };
    }

    private Case rawCase(int i, String label, String text, boolean mayClose, boolean mayHang) {
      return rawCase(i, label, Buffer.buffer(text.getBytes(StandardCharsets.ISO_8859_1)), mayClose, mayHang);
    }

    private Case rawCase(int i, String label, Buffer bytes, boolean mayClose, boolean mayHang) {
      return new Case(i, Kind.RAW, label, null, null, List.of(), BodyKind.NONE, 0, bytes, mayClose, mayHang);
    }

    private Buffer pickBytes() {
      return switch (r.nextInt(5)) {
        case 0 -> Buffer.buffer(new byte[] {(byte) 0xc0, (byte) 0xaf, (byte) 0xff, (byte) 0xfe});
        case 1 -> Buffer.buffer(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80});
        case 2 -> Buffer.buffer(new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
        case 3 -> concat(ascii(tenant.substring(0, 10)), Buffer.buffer(new byte[] {(byte) 0x80, (byte) 0x81}));
        default -> randomBytesWithout(1 + r.nextInt(100), (byte) '\r', (byte) '\n');
      };
    }

    private Buffer pickPathBytes() {
      return switch (r.nextInt(6)) {
        case 0 -> utf8(pick("/ünïcödé", "/日本語", "/api/v3/features/ténant", "/😀"));
        case 1 -> concat(ascii("/api/v3/features/"), Buffer.buffer(new byte[] {(byte) 0xc0, (byte) 0xae, (byte) 0xff}));
        case 2 -> ascii(pick("/api/v3/features/tenant/../..", "/%zz", "/%", "/api/v3/features/tenant%00", "/\\..\\..",
            "/api/v3/features/tenant#x", "/api/v3/features/tenant?%", "/?", "/#", "/;", "/..", "/...."));
        case 3 -> ascii("/" + "/".repeat(1 + r.nextInt(50)) + "api/v3/features/tenant");
        case 4 -> concat(ascii("/"), randomBytesWithout(1 + r.nextInt(80), (byte) ' ', (byte) '\r', (byte) '\n'));
        default -> ascii(safePath(Routes.FEATURES + "/" + randomToken(1 + r.nextInt(100))));
      };
    }

    private Buffer randomBytesWithout(int length, byte... excluded) {
      byte[] bytes = new byte[length];
      for (int k = 0; k < length; k++) {
        byte b;
        do {
          b = (byte) r.nextInt(256);
        } while (contains(excluded, b));
        bytes[k] = b;
      }
      // Random bytes could spell a word the body check looks for; they never do in practice,
      // but a lower-case 'x' in the middle of every run of letters makes sure.
      return Buffer.buffer(safePath(new String(bytes, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));
    }

    private String randomAscii(int length) {
      StringBuilder s = new StringBuilder();
      for (int k = 0; k < length; k++) {
        s.append((char) (0x21 + r.nextInt(0x5e)));
      }
      return safePath(s.toString());
    }

    private String randomToken(int length) {
      String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
      StringBuilder s = new StringBuilder();
      for (int k = 0; k < length; k++) {
        s.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      return safePath(s.toString());
    }

    /** A tenant id from the seed (never {@code UUID.randomUUID()}, which would break the replay). */
    private String randomUuid() {
      return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    @SafeVarargs
    private <T> T pick(T... options) {
      return options[r.nextInt(options.length)];
    }

    private int pickInt(int... options) {
      return options[r.nextInt(options.length)];
    }

    private static boolean contains(byte[] bytes, byte b) {
      for (byte x : bytes) {
        if (x == b) {
          return true;
        }
      }
      return false;
    }

    private static String toFullWidth(String s) {
      StringBuilder out = new StringBuilder();
      s.chars().forEach(c -> out.append(c >= '0' && c <= '9' ? (char) ('\uff10' + c - '0')
          : c >= 'a' && c <= 'f' ? (char) ('\uff41' + c - 'a') : (char) c));
      return out.toString();
    }

    private static String toArabicIndic(String s) {
      StringBuilder out = new StringBuilder();
      s.chars().forEach(c -> out.append(c >= '0' && c <= '9' ? (char) ('\u0660' + c - '0') : (char) c));
      return out.toString();
    }

    /** An RFC 9110 token, as a header name must be. */
    private static boolean isToken(String text) {
      return !text.isEmpty() && text.chars().allMatch(c -> c < 0x7f && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0));
    }

    /** A control character other than a tab, which a header value must not contain. */
    private static boolean hasControl(String text) {
      return text.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
    }

    /** Visible ASCII only (and spaces and tabs inside a header value): what the HTTP client sends as it is. */
    private static boolean isPlain(String text, boolean headerValue) {
      for (int k = 0; k < text.length(); k++) {
        char c = text.charAt(k);
        boolean blank = c == ' ' || c == '\t';
        if (c >= 0x7f || (c < 0x21 && !(headerValue && blank))) {
          return false;
        }
      }
      return true;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sending cases

  /** Sends the cases from {@code CONCURRENCY} loops, each starting its next case when the last one finished. */
  static final class Runner {

    private final Vertx vertx;
    private final int port;
    private final Buffer garbage;
    /** Keeps connections alive: garbage and valid requests share them. */
    private final HttpClientAgent client;
    private final NetClient net;

    Runner(Vertx vertx, int port, Buffer garbage) {
      this.vertx = vertx;
      this.port = port;
      this.garbage = garbage;
      HttpClientOptions options = new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
          .setMaxInitialLineLength(64 * 1024).setMaxHeaderSize(64 * 1024);
      this.client = vertx.createHttpClient(options.setKeepAlive(true), new PoolOptions().setHttp1MaxSize(CONCURRENCY));
      this.net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2_000));
    }

    Future<Void> runAll(List<Case> cases, Checker checker) {
      AtomicInteger next = new AtomicInteger();
      List<Future<Void>> loops = new ArrayList<>();
      for (int c = 0; c < CONCURRENCY; c++) {
        Promise<Void> done = Promise.promise();
        loop(cases, next, checker, done);
        loops.add(done.future());
      }
      return Future.all(loops).mapEmpty();
    }

    private void loop(List<Case> cases, AtomicInteger next, Checker checker, Promise<Void> done) {
      int i = next.getAndIncrement();
      if (i >= cases.size()) {
        done.tryComplete();
        return;
      }
      Case c = cases.get(i);
      Future<List<Answer>> sent;
      try {
        sent = c.raw() != null ? sendRaw(c) : sendClient(c).map(List::of);
      } catch (RuntimeException e) {
        // The client refused to build the request (an invalid header, say): nothing reached the server.
        sent = Future.succeededFuture(List.of(Answer.failed("client refused: " + e)));
      }
      // A case that produces no outcome at all must not stall the run: it becomes a violation.
      Promise<List<Answer>> outcome = Promise.promise();
      long watchdog = vertx.setTimer(CASE_WATCHDOG_MS,
          t -> outcome.tryComplete(List.of(Answer.failed("stuck: no outcome within " + CASE_WATCHDOG_MS + " ms"))));
      sent.recover(e -> Future.succeededFuture(List.of(Answer.failed(String.valueOf(e))))).onComplete(a -> outcome.tryComplete(a.result()));
      outcome.future().onComplete(answers -> {
        vertx.cancelTimer(watchdog);
        try {
          checker.check(c, answers.result());
        } catch (RuntimeException e) {
          checker.violation(c, "checker failed: " + e);
        }
        // Always on a fresh turn of the event loop: a run of synchronously finished cases must not recurse.
        vertx.runOnContext(v -> loop(cases, next, checker, done));
      });
    }

    private Future<Answer> sendClient(Case c) {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      c.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
      RequestOptions options = new RequestOptions().setMethod(c.method()).setURI(c.uri()).setHeaders(headers)
          .setIdleTimeout(5_000);
      return client.request(options).compose(request -> send(request, c)).compose(response ->
          response.body().map(body -> Answer.of(response.statusCode(), response.getHeader("Content-Type"),
              body.toString(StandardCharsets.UTF_8))));
    }

    private Future<HttpClientResponse> send(HttpClientRequest request, Case c) {
      Buffer body = c.body() == BodyKind.NONE ? null : garbage.slice(0, c.bodySize());
      switch (c.body()) {
        case FIXED -> {
          return request.send(body);
        }
        case CHUNKED -> {
          request.setChunked(true);
          int piece = Math.max(1, c.bodySize() / 7);
          for (int offset = 0; offset < c.bodySize(); offset += piece) {
            request.write(body.slice(offset, Math.min(c.bodySize(), offset + piece)));
          }
          request.end();
          return request.response();
        }
        default -> {
          return request.send();
        }
      }
    }

    private Future<List<Answer>> sendRaw(Case c) {
      return net.connect(port, "127.0.0.1").compose(socket -> {
        Promise<List<Answer>> result = Promise.promise();
        RawExchange exchange = new RawExchange(vertx, socket, c, result);
        exchange.start();
        return result.future();
      });
    }

    void close() {
      client.close();
      net.close();
    }
  }

  /** Writes a raw case and reads until the server closes, falls quiet after an answer, or the deadline. */
  static final class RawExchange {

    private final Vertx vertx;
    private final NetSocket socket;
    private final Case c;
    private final Promise<List<Answer>> result;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private long deadlineTimer = -1;
    private long quietTimer = -1;
    private boolean finished;

    RawExchange(Vertx vertx, NetSocket socket, Case c, Promise<List<Answer>> result) {
      this.vertx = vertx;
      this.socket = socket;
      this.c = c;
      this.result = result;
    }

    void start() {
      socket.handler(buffer -> {
        received.writeBytes(buffer.getBytes());
        RawResponses parsed = RawResponses.parse(received.toByteArray(), false, c.head());
        if (!parsed.answers().isEmpty() && parsed.incomplete() == null) {
          if (quietTimer >= 0) {
            vertx.cancelTimer(quietTimer);
          }
          quietTimer = vertx.setTimer(RAW_QUIET_MS, t -> finish(false, false));
        }
      });
      socket.closeHandler(v -> finish(true, false));
      socket.exceptionHandler(e -> {
        // A reset while writing a large request the server no longer reads: same as a close.
      });
      deadlineTimer = vertx.setTimer(RAW_DEADLINE_MS, t -> finish(false, true));
      socket.write(c.raw());
    }

    private void finish(boolean closedByServer, boolean deadline) {
      if (finished) {
        return;
      }
      finished = true;
      vertx.cancelTimer(deadlineTimer);
      if (quietTimer >= 0) {
        vertx.cancelTimer(quietTimer);
      }
      if (!closedByServer) {
        socket.close();
      }
      byte[] bytes = received.toByteArray();
      RawResponses parsed = RawResponses.parse(bytes, closedByServer, c.head());
      List<Answer> answers = new ArrayList<>(parsed.answers());
      if (parsed.incomplete() != null) {
        answers.add(Answer.failed("unreadable answer: " + parsed.incomplete()));
      }
      if (answers.isEmpty()) {
        answers.add(Answer.failed(deadline ? "silent" : "closed"));
      }
      result.tryComplete(answers);
    }
  }

  /** The HTTP/1.x responses in a byte stream, and what was left unreadable. */
  record RawResponses(List<Answer> answers, String incomplete) {

    static RawResponses parse(byte[] data, boolean closed, boolean toHead) {
      List<Answer> answers = new ArrayList<>();
      int pos = 0;
      while (pos < data.length) {
        int headEnd = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
        if (headEnd < 0) {
          return new RawResponses(answers, "no end of head in: " + printable(slice(data, pos, data.length, 200)));
        }
        String head = new String(data, pos, headEnd - pos, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        // "<protocol>/<major>.<minor> <status> <reason>": the server echoes the request's protocol
        // version, which the decoder accepts in any spelling of that form ("H\xa6TP/1.1").
        String[] statusLine = lines[0].split(" ", 3);
        if (!statusLine[0].matches("\\S+/\\d+\\.\\d+") || statusLine.length < 2) {
          return new RawResponses(answers, "not an HTTP status line: " + printable(lines[0].getBytes(StandardCharsets.ISO_8859_1)));
        }
        int status;
        try {
          status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
          return new RawResponses(answers, "bad status line: " + lines[0]);
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int k = 1; k < lines.length; k++) {
          int colon = lines[k].indexOf(':');
          if (colon > 0) {
            headers.putIfAbsent(lines[k].substring(0, colon).trim(), lines[k].substring(colon + 1).trim());
          }
        }
        int bodyStart = headEnd + 4;
        if (status / 100 == 1 && status != 101) {
          pos = bodyStart;
          continue;
        }
        if (toHead && !bodyFollows(data, bodyStart, headers)) {
          answers.add(Answer.of(status, headers.get("Content-Type"), ""));
          pos = bodyStart;
          continue;
        }
        String body;
        if (headers.getOrDefault("Transfer-Encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          int p = bodyStart;
          while (true) {
            int lineEnd = indexOf(data, "\r\n".getBytes(StandardCharsets.ISO_8859_1), p);
            if (lineEnd < 0) {
              return new RawResponses(answers, closed ? "truncated chunked body" : "waiting");
            }
            int size = Integer.parseInt(new String(data, p, lineEnd - p, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            p = lineEnd + 2;
            if (size == 0) {
              int trailerEnd = indexOf(data, "\r\n".getBytes(StandardCharsets.ISO_8859_1), p);
              if (trailerEnd < 0) {
                return new RawResponses(answers, closed ? "truncated chunked body" : "waiting");
              }
              pos = trailerEnd + 2;
              break;
            }
            if (p + size + 2 > data.length) {
              return new RawResponses(answers, closed ? "truncated chunked body" : "waiting");
            }
            out.write(data, p, size);
            p += size + 2;
          }
          body = out.toString(StandardCharsets.UTF_8);
        } else if (headers.containsKey("Content-Length")) {
          int length = Integer.parseInt(headers.get("Content-Length"));
          if (bodyStart + length > data.length) {
            String truncated = "truncated body (" + (data.length - bodyStart) + " of " + length + " bytes)";
            return new RawResponses(answers, closed ? truncated : "waiting");
          }
          body = new String(data, bodyStart, length, StandardCharsets.UTF_8);
          pos = bodyStart + length;
        } else {
          if (!closed) {
            return new RawResponses(answers, "waiting");
          }
          body = new String(data, bodyStart, data.length - bodyStart, StandardCharsets.UTF_8);
          pos = data.length;
        }
        answers.add(Answer.of(status, headers.get("Content-Type"), body));
      }
      return new RawResponses(answers, null);
    }

    /**
     * Whether the answer to a HEAD request has a body after all: the server answers a request it
     * could not decode as if it were a GET, since it never learnt the method.
     */
    private static boolean bodyFollows(byte[] data, int bodyStart, Map<String, String> headers) {
      int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
      if (length == 0 || bodyStart + length > data.length) {
        return false;
      }
      String next = new String(data, bodyStart, Math.min(32, data.length - bodyStart), StandardCharsets.ISO_8859_1);
      return !next.matches("(?s)\\S+/\\d+\\.\\d+ \\d{3}.*");
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
      outer:
      for (int i = from; i <= data.length - pattern.length; i++) {
        for (int j = 0; j < pattern.length; j++) {
          if (data[i + j] != pattern[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Checking answers

  /** Applies the rules to every answer and keeps the counts and the violations. */
  static final class Checker {

    private final JsonObject expected;
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final AtomicInteger silent = new AtomicInteger();
    final AtomicInteger clientRefused = new AtomicInteger();
    final AtomicInteger validSent = new AtomicInteger();
    final AtomicInteger validOk = new AtomicInteger();
    final AtomicInteger tolerated501 = new AtomicInteger();
    final Map<String, Integer> byKindAndStatus = new ConcurrentHashMap<>();
    final Map<String, Integer> byLabelAndStatus = new ConcurrentHashMap<>();
    final Map<String, Integer> violationKinds = new ConcurrentHashMap<>();
    /** One request per kind of failure (closed, silent, ...), for the log. */
    final Map<String, String> failureSamples = new ConcurrentHashMap<>();

    private final String tenantId;

    Checker(JsonObject expected, String tenantId) {
      this.expected = expected;
      this.tenantId = tenantId;
    }

    /** The map of a tenant without overrides: every flag false. */
    private JsonObject allFalse() {
      JsonObject map = new JsonObject();
      expected.fieldNames().forEach(flag -> map.put(flag, false));
      return map;
    }

    void violation(Case c, String what) {
      // Grouped by what went wrong (and for raw cases by their shape); client cases' labels vary too much.
      int colon = what.indexOf(':');
      String kind = c.kind() + (c.kind() == Kind.RAW ? " [" + c.label() + "] " : " ") + (colon < 0 ? what : what.substring(0, colon));
      violationKinds.merge(kind, 1, Integer::sum);
      violations.add(what + "\n      request: " + c.describe());
    }

    void check(Case c, List<Answer> answers) {
      if (c.kind() == Kind.VALID) {
        validSent.incrementAndGet();
      }
      Answer first = answers.get(0);
      if (first.failure() == null) {
        answered.incrementAndGet();
        for (Answer a : answers) {
          count(c, a.failure() == null ? Integer.toString(a.status()) : "unreadable");
          if (a.failure() != null) {
            // A complete answer followed by bytes that are none: the server wrote something broken.
            violation(c, a.failure());
          } else {
            checkAnswer(c, a);
          }
        }
        return;
      }
      String failure = first.failure();
      failureSamples.putIfAbsent(c.kind() + " " + abbreviate(failure, 60), c.describe());
      if (failure.startsWith("client refused")) {
        // Nothing reached the server, so the case tested nothing: it belongs on the socket.
        count(c, "refused");
        clientRefused.incrementAndGet();
        closed.incrementAndGet();
        violation(c, "the HTTP client refused to send it (generate it as socket bytes): " + failure);
        return;
      }
      if (failure.startsWith("silent") || failure.startsWith("stuck") || failure.contains("timeout period")) {
        count(c, "silent");
        silent.incrementAndGet();
        if (!c.mayHang() || failure.startsWith("stuck")) {
          violation(c, "no answer and no close: " + failure);
        }
        return;
      }
      count(c, "closed");
      closed.incrementAndGet();
      if (!c.mayClose() || failure.startsWith("unreadable")) {
        violation(c, "no answer: " + failure);
      }
    }

    private void count(Case c, String outcome) {
      byKindAndStatus.merge(c.kind() + " " + outcome, 1, Integer::sum);
      if (c.kind() == Kind.RAW) {
        byLabelAndStatus.merge(c.label() + " -> " + outcome, 1, Integer::sum);
      }
    }

    private void checkAnswer(Case c, Answer a) {
      int status = a.status();
      String body = a.body() == null ? "" : a.body();
      String excerpt = abbreviate(body, 300);
      if (status == 501 && c.raw() != null && unsupportedVersion(c.raw()) && body.isEmpty()) {
        // Vert.x itself (Http1xServerRequestHandler) answers a well-formed request line with an HTTP
        // version other than 1.0 and 1.1 with an empty 501 and closes, before any handler of ours
        // runs; the service has no hook there. Tolerated for exactly that shape, and counted.
        tolerated501.incrementAndGet();
        return;
      }
      if (status >= 500) {
        violation(c, "5xx: " + status + " " + excerpt);
      }
      String lower = body.toLowerCase(Locale.ROOT);
      for (String word : INTERNALS) {
        if (lower.contains(word)) {
          violation(c, "body names an internal (" + word + "): " + status + " " + excerpt);
        }
      }
      // A HEAD answer has no body, unless the decoder failed before it learnt the method.
      boolean bodiless = c.head() && body.isEmpty();
      if (c.kind() == Kind.VALID) {
        boolean roles = c.uri().startsWith(Routes.ROLES);
        boolean ok = status == 200 && (roles ? isJsonArray(body, ROLES) : isJsonObject(body, expected));
        if (ok) {
          validOk.incrementAndGet();
        } else {
          violation(c, "valid request not answered with the complete " + (roles ? "roles" : "map") + ": " + status + " " + excerpt);
        }
        return;
      }
      if (status >= 400 && status < 500) {
        if (a.contentType() == null || !a.contentType().startsWith(ProblemResponses.CONTENT_TYPE)) {
          violation(c, status + " with Content-Type " + a.contentType() + ": " + excerpt);
          return;
        }
        if (bodiless) {
          return;
        }
        try {
          JsonObject problem = new JsonObject(body);
          if (!(problem.getValue("type") instanceof String type) || !type.startsWith("/problems/")
              || !(problem.getValue("title") instanceof String title) || title.isBlank()
              || !(problem.getValue("detail") instanceof String detail) || detail.isBlank()
              || !Integer.valueOf(status).equals(problem.getValue("status"))) {
            violation(c, status + " problem without type/title/detail or with another status: " + excerpt);
          }
        } catch (DecodeException | ClassCastException e) {
          violation(c, status + " problem body is not a JSON object: " + excerpt);
        }
      } else if (status == 200) {
        if (bodiless) {
          return;
        }
        // A 200 to a bad request is fine when the request was good enough; its answer must still be
        // complete, and the map of the tenant it named: the seeded one's, or all false for any other.
        if (isCompleteMap(body) && c.kind() == Kind.CLIENT && c.raw() == null) {
          boolean seeded = c.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("X-Tenant-ID")).findFirst()
              // Surrounding spaces and tabs are no part of a header value (RFC 9110 §5.5).
              .flatMap(h -> org.tenantfeatures.client.TenantIds.canonical(h.getValue().strip())).map(tenantId::equals)
              .orElse(false);
          if (!isJsonObject(body, seeded ? expected : allFalse())) {
            violation(c, "200 with another tenant's map: " + excerpt);
          }
        } else if (!isCompleteMap(body) && !isRolesAnswer(body) && !isCatalogue(body) && !isEmptyAudit(body)) {
          violation(c, "200 with an incomplete or unknown body: " + excerpt);
        }
      } else if (status < 500) {
        violation(c, "unexpected status " + status + ": " + excerpt);
      }
    }

    /** Whether the request line ends in a version of the form the decoder accepts, but not HTTP/1.0 or HTTP/1.1. */
    static boolean unsupportedVersion(Buffer raw) {
      String text = raw.getString(0, Math.min(raw.length(), 16_384), "ISO-8859-1");
      int end = text.indexOf('\n');
      String line = (end < 0 ? text : text.substring(0, end)).strip();
      String version = line.substring(line.lastIndexOf(' ') + 1);
      return line.split("\\s+").length == 3 && version.matches("\\S+/\\d+\\.\\d+")
          && !version.equals("HTTP/1.0") && !version.equals("HTTP/1.1");
    }

    private boolean isCompleteMap(String body) {
      try {
        JsonObject map = new JsonObject(body);
        return map.fieldNames().equals(expected.fieldNames())
            && map.getMap().values().stream().allMatch(v -> v instanceof Boolean);
      } catch (DecodeException e) {
        return false;
      }
    }

    /** The flag catalogue as seeded: every flag, with its description untouched. */
    private static boolean isCatalogue(String body) {
      try {
        JsonArray flags = new JsonObject(body).getJsonArray("flags");
        return flags != null && flags.size() == FLAGS && flags.stream().map(JsonObject.class::cast)
            .allMatch(f -> f.getString("description", "").startsWith("test flag "));
      } catch (DecodeException | ClassCastException e) {
        return false;
      }
    }

    /** An audit page of nothing: no case may have written anything. */
    private static boolean isEmptyAudit(String body) {
      return isJsonObject(body, new JsonObject().put("entries", new JsonArray()).putNull("next"));
    }

    private static boolean isRolesAnswer(String body) {
      return isJsonArray(body, ROLES) || isJsonArray(body, new JsonArray());
    }

    private static boolean isJsonObject(String body, JsonObject expected) {
      try {
        return new JsonObject(body).equals(expected);
      } catch (DecodeException e) {
        return false;
      }
    }

    private static boolean isJsonArray(String body, JsonArray expected) {
      try {
        return new JsonArray(body).equals(expected);
      } catch (DecodeException e) {
        return false;
      }
    }

    /** The failure message: how many, of which kinds, the first few in full, and how to replay. */
    String summary(long seed) {
      StringBuilder s = new StringBuilder().append(violations.size()).append(" violations (seed ").append(seed)
          .append("; replay with -Dbadinput.seed=").append(seed).append(")\nby kind: ").append(new TreeMap<>(violationKinds));
      synchronized (violations) {
        violations.stream().limit(15).forEach(v -> s.append("\n  - ").append(abbreviate(v, 1_000)));
      }
      return s.toString();
    }

    void report(long seed, long millis) {
      log.info("BadInputIT: {} cases in {} ms (seed {}): {} answered, {} closed without an answer, {} silent (incomplete request), "
              + "{} refused by the client; {} of {} valid requests answered in full; {} tolerated 501 (unsupported HTTP version); "
              + "{} violations",
          REQUESTS, millis, seed, answered.get(), closed.get() - clientRefused.get(), silent.get(), clientRefused.get(),
          validOk.get(), validSent.get(), tolerated501.get(), violations.size());
      log.info("BadInputIT outcomes by kind: {}", new TreeMap<>(byKindAndStatus));
      log.info("BadInputIT raw-socket outcomes: {}", new TreeMap<>(byLabelAndStatus));
      failureSamples.forEach((k, v) -> log.info("BadInputIT failure sample: {} <- {}", k, abbreviate(v, 400)));
      if (!violationKinds.isEmpty()) {
        log.warn("BadInputIT violations by kind: {}", new TreeMap<>(violationKinds));
      }
      synchronized (violations) {
        violations.stream().limit(40).forEach(v -> log.warn("BadInputIT violation: {}", v));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

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

  private static Buffer randomBytes(Random r, int length) {
    byte[] bytes = new byte[length];
    r.nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  private static Buffer ascii(String s) {
    return Buffer.buffer(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static Buffer utf8(String s) {
    return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Buffer concat(Buffer a, Buffer b) {
    return Buffer.buffer().appendBuffer(a).appendBuffer(b);
  }

  private static byte[] slice(byte[] data, int from, int to, int max) {
    byte[] out = new byte[Math.min(to - from, max)];
    System.arraycopy(data, from, out, 0, out.length);
    return out;
  }

  static String printable(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      int v = b & 0xff;
      if (v == '\r') {
        s.append("\\r");
      } else if (v == '\n') {
        s.append("\\n");
      } else if (v >= 0x20 && v < 0x7f) {
        s.append((char) v);
      } else {
        s.append(String.format("\\x%02x", v));
      }
    }
    return s.toString();
  }

  static String abbreviate(String s, int max) {
    if (s == null) {
      return "null";
    }
    String escaped = printable(s.getBytes(StandardCharsets.UTF_8));
    return escaped.length() <= max ? escaped : escaped.substring(0, max) + "...(" + s.length() + " chars)";
  }
}
