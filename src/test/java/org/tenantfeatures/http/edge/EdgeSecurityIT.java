package org.tenantfeatures.http.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.http.problem.ProblemResponses;
import org.tenantfeatures.support.RawConnection;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.StoppablePostgres;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;
import org.tenantfeatures.support.Uploads;
import org.tenantfeatures.telemetry.MetricsSetup;

/**
 * The holes an attacker found at the HTTP edge (issue 8), each shown closed on a real
 * PostgreSQL: no request writes to the disk, no request adds a metric series, every permission
 * is checked, catalogue changes take an all-tenant admin and are audited in every tenant's log,
 * readiness tells nothing, control characters are a 400, made-up revisions cost one read,
 * repeated writes leave no audit row, and no answer carries internal fields. And those of issue
 * 22 (13-19): two Host headers, numbers in the query in other digits, the console's 416, a change
 * stream whose client does not read, a 429 without Retry-After, the override count shown to a
 * scoped token, a JSON body naming a key twice. The holes in the connection itself (slow and idle
 * connections, the connection cap, ambiguous framing, h2c) are {@link EdgeConnectionsIT}'s.
 */
@DisplayName("Edge security")
class EdgeSecurityIT {

  private static final Logger log = LoggerFactory.getLogger(EdgeSecurityIT.class);

  private static final String ADMIN = "edge-admin-all-tenants";
  private static final String SCOPED_ADMIN = "edge-admin-one-tenant";
  private static final String WRITE_ONLY = "edge-write-only";
  private static final String TENANT_A = "aaaaaaaa-0000-4000-8000-00000000000a";
  private static final String TENANT_B = "bbbbbbbb-0000-4000-8000-00000000000b";

  private Vertx vertx;
  private String dbUri;
  private RunningService service;
  private StoppablePostgres stoppable;

  private void start(TestConfig config) throws Exception {
    config.withToken("admin", ADMIN, "read", "write", "admin")
        .withScopedToken("scoped-admin", SCOPED_ADMIN, List.of(TENANT_A), "read", "write", "admin")
        .withToken("write-only", WRITE_ONLY, "write");
    AppConfig built = config.build();
    vertx = Vertx.vertx(MetricsSetup.vertxOptions(built));
    service = await(RunningService.deploy(vertx, built, 16));
  }

  private void start() throws Exception {
    dbUri = TestPostgres.shared().createDatabase();
    start(TestConfig.forDatabase(dbUri).with("cache.ttlMs", 60_000));
    // Heard before a test counts database reads: a new flag's notification drops the cached maps.
    Seed.flagsHeard(vertx, dbUri, 4);
  }

  @AfterEach
  void close() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
    if (stoppable != null) {
      stoppable.close();
    }
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path, String token, String tenant) {
    return service.request(method, path, token, tenant);
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, String token, String tenant) throws Exception {
    return await(request(method, path, token, tenant).send());
  }

  private HttpResponse<Buffer> sendJson(HttpMethod method, String path, String token, String tenant, JsonObject body)
      throws Exception {
    return await(request(method, path, token, tenant).sendJsonObject(body));
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status, String type) {
    assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo(ProblemResponses.CONTENT_TYPE);
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/" + type);
  }

  private long count(String sql) throws Exception {
    try (Connection c = Sql.connect(dbUri); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  // 1. Uploads

  @Test
  @DisplayName("1. Multipart bodies, anonymous or not, write no file and get 401 or 415; a body is read only after the token")
  void noRequestWritesToDisk() throws Exception {
    start();
    long before = Uploads.files();
    String boundary = "----edge" + UUID.randomUUID();
    Buffer multipart = Buffer.buffer("--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n"
        + "Content-Type: text/plain\r\n\r\n" + "x".repeat(2000) + "\r\n--" + boundary + "--\r\n");
    String multipartType = "multipart/form-data; boundary=" + boundary;
    for (int i = 0; i < 10; i++) {
      assertProblem(await(request(HttpMethod.POST, "/api/v3/flags", null, null).putHeader("Content-Type", multipartType)
          .sendBuffer(multipart)), 401, "unauthorized");
      assertProblem(await(request(HttpMethod.POST, "/api/v3/flags", ADMIN, null).putHeader("Content-Type", multipartType)
          .sendBuffer(multipart)), 415, "unsupported-media-type");
      assertProblem(await(request(HttpMethod.PUT, "/api/v3/features/tenant/flag_001", ADMIN, TENANT_A)
          .putHeader("Content-Type", multipartType).sendBuffer(multipart)), 415, "unsupported-media-type");
      assertProblem(await(request(HttpMethod.PATCH, "/api/v3/flags/flag_001", null, null)
          .putHeader("Content-Type", multipartType).sendBuffer(multipart)), 401, "unauthorized");
    }
    assertThat(Uploads.files()).as("files under ./file-uploads after 40 multipart requests").isEqualTo(before);
    // A form that is not multipart is no JSON either, and the valid JSON still works after the checks.
    assertProblem(await(request(HttpMethod.PUT, "/api/v3/features/tenant/flag_001", ADMIN, TENANT_A)
        .putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("enabled=true"))),
        415, "unsupported-media-type");
    assertThat(sendJson(HttpMethod.PUT, "/api/v3/features/tenant/flag_001", ADMIN, TENANT_A,
        new JsonObject().put("enabled", true)).statusCode()).isEqualTo(200);
    assertThat(count("SELECT count(*) FROM audit_log")).as("only the JSON write changed anything").isEqualTo(1);
  }

  // 2. Metric series

  private static final String[] PATHS = {"/api/v3/features/tenant", "/api/v3/features/tenant/%s", "/api/v3/rbac/roles",
      "/api/v3/audit", "/api/v3/flags", "/api/v3/flags/%s", "/health/live", "/%s/%s"};
  private static final String[] METHODS = {"GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "made-up"};
  private static final int AUTH_KINDS = 4;

  /** Every combination of method kind, path kind and credentials kind once, with new random values each time. */
  private void randomRound(Random random) throws Exception {
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    for (String methodKind : METHODS) {
      for (String pathKind : PATHS) {
        for (int auth = 0; auth < AUTH_KINDS; auth++) {
          String method = methodKind.equals("made-up") ? "X" + Integer.toString(random.nextInt(1 << 30), 36).toUpperCase() : methodKind;
          String path = String.format(pathKind, "f" + random.nextInt(1_000_000), "p" + random.nextInt(1_000_000));
          String token = switch (auth) {
            case 0 -> null;
            case 1 -> "random-" + UUID.randomUUID();
            case 2 -> TestConfig.ALL_TENANTS_TOKEN;
            default -> WRITE_ONLY;
          };
          HttpRequest<Buffer> request = service.client().request(HttpMethod.valueOf(method), path)
              .putHeader("X-Tenant-ID", UUID.randomUUID().toString())
              .putHeader("X-Request-ID", "r" + random.nextLong());
          if (token != null) {
            request.putHeader("Authorization", "Bearer " + token);
          }
          answers.add(request.send());
        }
      }
    }
    for (Future<HttpResponse<Buffer>> answer : answers) {
      assertThat(await(answer).statusCode()).isLessThan(500);
    }
  }

  private List<String> series() throws Exception {
    HttpResponse<Buffer> metrics = send(HttpMethod.GET, "/metrics", null, null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    // The service's and Vert.x's series: the JVM's own (GC causes, buffer pools) change by themselves.
    return metrics.bodyAsString().lines().filter(l -> l.startsWith("vertx_") || l.startsWith("tenant_features_"))
        .map(l -> l.substring(0, l.lastIndexOf(' '))).sorted().toList();
  }

  @Test
  @DisplayName("2. 1,000 requests with random methods, paths, tenant ids, tokens and request ids add no metric series")
  void randomRequestsAddNoSeries() throws Exception {
    start();
    Random random = new Random(8);
    randomRound(random); // every kind of request once: each label value of the closed sets appears
    series(); // and the scrape itself
    // And the change listener's first heartbeat (once a second), whose address is a series of its own.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!series().contains("vertx_eventbus_delivered_total{address=\"features.change-listeners\"}")) {
      assertThat(System.nanoTime()).as("the listener's heartbeat within 5 s").isLessThan(deadline);
      await(vertx.timer(50, java.util.concurrent.TimeUnit.MILLISECONDS));
    }
    List<String> before = series();
    int rounds = 0;
    for (int sent = 0; sent < 1_000; sent += METHODS.length * PATHS.length * AUTH_KINDS) {
      randomRound(random);
      rounds++;
    }
    List<String> after = series();
    List<String> added = new ArrayList<>(after);
    added.removeAll(before);
    assertThat(added).as("series added by %d more rounds of random requests", rounds).isEmpty();
    int bytes = send(HttpMethod.GET, "/metrics", null, null).body().length();
    log.info("/metrics after {} random requests: {} service series, {} bytes", (rounds + 1) * METHODS.length * PATHS.length
        * AUTH_KINDS, after.size(), bytes);
  }

  // 4. Read permission

  @Test
  @DisplayName("4. A token without 'read' reads no map, roles, audit or catalogue")
  void readPermissionIsChecked() throws Exception {
    start();
    for (String path : List.of("/api/v3/features/tenant", "/api/v3/rbac/roles", "/api/v3/audit")) {
      assertProblem(send(HttpMethod.GET, path, WRITE_ONLY, TENANT_A), 403, "read-required");
    }
    assertProblem(send(HttpMethod.GET, "/api/v3/flags", WRITE_ONLY, null), 403, "read-required");
    // It may still write.
    assertThat(sendJson(HttpMethod.PUT, "/api/v3/features/tenant/flag_001", WRITE_ONLY, TENANT_A,
        new JsonObject().put("enabled", true)).statusCode()).isEqualTo(200);
  }

  // 5. Catalogue scope and audit

  @Test
  @DisplayName("5. An admin of one tenant changes no flag; a flag's deletion is in the audit log of every tenant it touched")
  void catalogueTakesAllTenantScope() throws Exception {
    start();
    for (String tenant : List.of(TENANT_A, TENANT_B)) {
      assertThat(sendJson(HttpMethod.PUT, "/api/v3/features/tenant/flag_002", ADMIN, tenant,
          new JsonObject().put("enabled", true)).statusCode()).isEqualTo(200);
    }
    long auditBefore = count("SELECT count(*) FROM audit_log");
    assertProblem(send(HttpMethod.DELETE, "/api/v3/flags/flag_002", SCOPED_ADMIN, null), 403, "all-tenants-required");
    assertProblem(sendJson(HttpMethod.POST, "/api/v3/flags", SCOPED_ADMIN, null,
        new JsonObject().put("name", "by_scoped").put("description", "x")), 403, "all-tenants-required");
    assertProblem(sendJson(HttpMethod.PATCH, "/api/v3/flags/flag_002", SCOPED_ADMIN, null,
        new JsonObject().put("description", "x")), 403, "all-tenants-required");
    assertProblem(send(HttpMethod.GET, "/diagnostics/db", SCOPED_ADMIN, null), 403, "all-tenants-required");
    assertThat(count("SELECT count(*) FROM tenant_features WHERE feature_id = (SELECT id FROM feature_flags WHERE name = 'flag_002')"))
        .as("both tenants' overrides untouched").isEqualTo(2);
    assertThat(count("SELECT count(*) FROM audit_log")).isEqualTo(auditBefore);
    assertThat(count("SELECT count(*) FROM feature_flags WHERE name = 'by_scoped'")).isZero();

    assertThat(send(HttpMethod.DELETE, "/api/v3/flags/flag_002", ADMIN, null).statusCode()).isEqualTo(200);
    for (String tenant : List.of(TENANT_A, TENANT_B)) {
      JsonObject newest = send(HttpMethod.GET, "/api/v3/audit", ADMIN, tenant).bodyAsJsonObject().getJsonArray("entries").getJsonObject(0);
      assertThat(newest.getString("action")).as("tenant %s's newest audit entry", tenant).isEqualTo("flag.delete");
      assertThat(newest.getString("flag")).isEqualTo("flag_002");
      assertThat(newest.getString("actor")).isEqualTo("admin");
      assertThat(newest.getBoolean("before")).isTrue();
      assertThat(newest.getValue("after")).isNull();
      String revision = send(HttpMethod.GET, "/api/v3/features/tenant", ADMIN, tenant).getHeader("X-Revision");
      assertThat(newest.getLong("revision")).as("the revision the removal gave the tenant").isEqualTo(Long.parseLong(revision));
    }
  }

  // 7. Readiness

  @Test
  @DisplayName("7. /health/ready with the database down names the failed check, and no host, port or error")
  void readinessTellsNothing() throws Exception {
    stoppable = StoppablePostgres.start();
    dbUri = stoppable.uri();
    start(TestConfig.forDatabase(dbUri).with("http.readyTimeoutMs", 500).with("http.requestTimeoutMs", 1_000)
        .with("db.statementTimeoutMs", 800).with("db.pool.connectionTimeoutMs", 500));
    assertThat(send(HttpMethod.GET, "/health/ready", null, null).statusCode()).isEqualTo(200);
    stoppable.stop();
    HttpResponse<Buffer> ready = send(HttpMethod.GET, "/health/ready", null, null);
    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject database = ready.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals("database")).findFirst().orElseThrow();
    assertThat(database.fieldNames()).as("the failed check, anonymously: %s", ready.bodyAsString()).containsExactlyInAnyOrder("id", "status");
    int dbPort = Integer.parseInt(dbUri.replaceAll(".*:(\\d+)/.*", "$1"));
    assertThat(ready.bodyAsString()).doesNotContain("127.0.0.1", "localhost", Integer.toString(dbPort), "refused", "Exception");
  }

  // 8. Control characters

  @Test
  @DisplayName("8. A NUL byte in a flag name or description is a 400 problem, before any statement, and changes nothing")
  void controlCharactersAreRefused() throws Exception {
    start();
    long audit = count("SELECT count(*) FROM audit_log");
    assertProblem(send(HttpMethod.DELETE, "/api/v3/flags/a%00b", ADMIN, null), 400, "invalid-flag-name");
    assertProblem(sendJson(HttpMethod.PATCH, "/api/v3/flags/a%00b", ADMIN, null, new JsonObject().put("description", "x")),
        400, "invalid-flag-name");
    assertProblem(sendJson(HttpMethod.PATCH, "/api/v3/flags/flag_001", ADMIN, null,
        new JsonObject().put("description", "a\u0000b")), 400, "bad-body");
    assertProblem(sendJson(HttpMethod.POST, "/api/v3/flags", ADMIN, null,
        new JsonObject().put("name", "nul_flag").put("description", "x\u0000")), 400, "bad-body");
    assertProblem(sendJson(HttpMethod.POST, "/api/v3/flags", ADMIN, null,
        new JsonObject().put("name", "nul\u0000flag").put("description", "x")), 400, "invalid-flag-name");
    assertThat(count("SELECT count(*) FROM audit_log")).isEqualTo(audit);
    assertThat(count("SELECT count(*) FROM feature_flags WHERE name LIKE 'nul%'")).isZero();
  }

  // 10. minRevision

  @Test
  @DisplayName("10. A revision the database has not reached costs one database read per cache period and gets 409")
  void futureRevisionCostsOneRead() throws Exception {
    start();
    List<String> timings = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> answer = send(HttpMethod.GET, "/api/v3/features/tenant?minRevision=999999999999",
          TestConfig.ALL_TENANTS_TOKEN, TENANT_A);
      assertProblem(answer, 409, "revision-not-reached");
      timings.add(answer.getHeader("Server-Timing"));
    }
    assertThat(timings.stream().filter(t -> t.contains("db;dur")).count())
        .as("database reads among 5 requests for a revision not reached: %s", timings).isEqualTo(1);
    // A real write's revision is read at once, past the cache and past the earlier refusal.
    long revision = sendJson(HttpMethod.PUT, "/api/v3/features/tenant/flag_001", ADMIN, TENANT_A,
        new JsonObject().put("enabled", true)).bodyAsJsonObject().getLong("revision");
    HttpResponse<Buffer> fresh = send(HttpMethod.GET, "/api/v3/features/tenant?minRevision=" + revision,
        TestConfig.ALL_TENANTS_TOKEN, TENANT_A);
    assertThat(fresh.statusCode()).isEqualTo(200);
    assertThat(fresh.bodyAsJsonObject().getBoolean("flag_001")).isTrue();
  }

  // 11, 12. Writes that change nothing; answers without internal fields

  @Test
  @DisplayName("11. A repeated identical write leaves no audit row and keeps the revision; 12. the audit answer has no internal field")
  void idempotentWritesAndCleanAnswers() throws Exception {
    start();
    JsonObject on = new JsonObject().put("enabled", true);
    long first = sendJson(HttpMethod.PUT, "/api/v3/features/tenant/flag_001", ADMIN, TENANT_A, on).bodyAsJsonObject().getLong("revision");
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> again = sendJson(HttpMethod.PUT, "/api/v3/features/tenant/flag_001", ADMIN, TENANT_A, on);
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(again.bodyAsJsonObject().getLong("revision")).isEqualTo(first);
    }
    assertThat(send(HttpMethod.DELETE, "/api/v3/features/tenant/flag_003", ADMIN, TENANT_A).statusCode())
        .as("clearing an override that is not there").isEqualTo(200);
    assertThat(count("SELECT count(*) FROM audit_log WHERE tenant_id = '" + TENANT_A + "'"))
        .as("audit rows after one change and four writes that changed nothing").isEqualTo(1);

    HttpResponse<Buffer> audit = send(HttpMethod.GET, "/api/v3/audit", ADMIN, TENANT_A);
    assertThat(audit.bodyAsJsonObject().fieldNames()).containsExactlyInAnyOrder("entries", "next");
    assertThat(audit.bodyAsJsonObject().getJsonArray("entries").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("id", "actor", "action", "flag", "segment", "before", "after", "beforeJson", "afterJson", "revision", "requestId", "at");
    assertThat(send(HttpMethod.GET, "/api/v3/rbac/roles", ADMIN, TENANT_A).bodyAsString()).doesNotContain("dbMs");
  }

  // 13-19. The holes of issue 22

  private int port() {
    return service.config().http().port();
  }

  /** The change stream URL (path and ticket) of the tenant's OFREP bulk answer, for the token. */
  private String streamUri(String token, String tenant) throws Exception {
    HttpResponse<Buffer> bulk = sendJson(HttpMethod.POST, "/ofrep/v1/evaluate/flags", token, null,
        new JsonObject().put("context", new JsonObject().put("targetingKey", tenant)));
    assertThat(bulk.statusCode()).as(bulk.bodyAsString()).isEqualTo(200);
    return bulk.bodyAsJsonObject().getJsonArray("eventStreams").getJsonObject(0).getJsonObject("endpoint").getString("requestUri");
  }

  /** A raw connection that asked for a change stream, its receive buffer {@code receiveBuffer} bytes, not read yet. */
  private Socket openStream(String uri, int receiveBuffer) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(new InetSocketAddress("127.0.0.1", port()));
    socket.getOutputStream().write(("GET " + uri + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  /** Reads the answer's head (up to the blank line) from a raw connection. */
  private static String head(Socket socket) throws Exception {
    socket.setSoTimeout(5_000);
    StringBuilder head = new StringBuilder();
    InputStream in = socket.getInputStream();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("the answer's head so far: %s", head).isNotNegative();
      head.append((char) b);
    }
    return head.toString();
  }

  /** The value of a series on /metrics, 0 when it is not there. */
  private double metric(String name, String label) throws Exception {
    return send(HttpMethod.GET, "/metrics", null, null).bodyAsString().lines()
        .filter(l -> l.startsWith(name + "{") && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  @DisplayName("13. Two Host headers are a 400 problem and the connection is closed, the request never served")
  void twoHostHeadersAreRefused() throws Exception {
    start();
    String next = "GET /api/v3/flags HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN + "\r\n\r\n";
    for (String hosts : List.of("Host: a.example\r\nHost: b.example\r\n", "Host: a.example\r\nhost: a.example\r\n",
        "Host: a.example\r\nHost: \r\n")) {
      RawConnection.Reply answer = RawConnection.exchange(port(), "GET /api/v3/flags HTTP/1.1\r\n" + hosts
          + "Authorization: Bearer " + ADMIN + "\r\n\r\n" + next);
      assertThat(answer.text()).as("answer to %s", hosts).startsWith("HTTP/1.1 400 ").contains("/problems/bad-request")
          .contains("Host").doesNotContain("flag_001");
      assertThat(answer.responses()).as("responses to %s (a second one served the next request)", hosts).isEqualTo(1);
      assertThat(answer.closed()).as("connection closed after %s", hosts).isTrue();
    }
    RawConnection.Reply one = RawConnection.exchange(port(), "GET /health/live HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n");
    assertThat(one.text()).as("one Host header").startsWith("HTTP/1.1 200 ");
  }

  @Test
  @DisplayName("14. Numbers in the query are ASCII digits only: other digits, signs and spaces are 400 problems")
  void queryNumbersAreAsciiDigits() throws Exception {
    start();
    for (String number : List.of("\u0661\u0660", "+5", "\uff15", "-1", " 5", "5 ", "0x5", "1e2", "")) {
      String q = URLEncoder.encode(number, StandardCharsets.UTF_8);
      assertProblem(send(HttpMethod.GET, "/api/v3/audit?limit=" + q, ADMIN, TENANT_A), 400, "invalid-page");
      assertProblem(send(HttpMethod.GET, "/api/v3/audit?before=" + q, ADMIN, TENANT_A), 400, "invalid-page");
      assertProblem(send(HttpMethod.GET, "/api/v3/audit/catalogue?before=" + q, ADMIN, null), 400, "invalid-page");
      assertProblem(send(HttpMethod.GET, "/api/v3/tenants?limit=" + q, ADMIN, null), 400, "invalid-page");
      assertProblem(send(HttpMethod.GET, "/api/v3/flags/flag_001/tenants?limit=" + q, ADMIN, null), 400, "invalid-page");
      assertProblem(send(HttpMethod.GET, "/api/v3/features/tenant?minRevision=" + q, ADMIN, TENANT_A), 400, "invalid-min-revision");
    }
    assertProblem(send(HttpMethod.GET, "/api/v3/features/tenant?minRevision=" + "9".repeat(19), ADMIN, TENANT_A), 400,
        "invalid-min-revision");
    // ASCII digits still work, leading zeros included.
    assertThat(send(HttpMethod.GET, "/api/v3/audit?limit=05&before=9", ADMIN, TENANT_A).statusCode()).isEqualTo(200);
    assertThat(send(HttpMethod.GET, "/api/v3/features/tenant?minRevision=0", ADMIN, TENANT_A).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("15. A Range the console cannot satisfy is a 416 problem with Content-Range")
  void unsatisfiableRangeIsAProblem() throws Exception {
    start();
    HttpResponse<Buffer> refused = await(service.client().get("/console/app.js").putHeader("Range", "bytes=999999-").send());
    assertProblem(refused, 416, "range-not-satisfiable");
    assertThat(refused.getHeader("Content-Range")).as("the length of the file").matches("bytes \\*/\\d+");
    HttpResponse<Buffer> part = await(service.client().get("/console/app.js").putHeader("Range", "bytes=0-9").send());
    assertThat(part.statusCode()).as("a satisfiable range").isEqualTo(206);
    assertThat(part.body().length()).isEqualTo(10);
  }

  @Test
  @DisplayName("16. A change stream whose client does not read is closed once its bounded buffers are full, and counted")
  void slowStreamIsClosed() throws Exception {
    dbUri = TestPostgres.shared().createDatabase();
    start(TestConfig.forDatabase(dbUri).with("cache.ttlMs", 60_000).with("http.streamWriteQueueBytes", 1024)
        .with("http.maxStreamsPerToken", 1));
    Seed.flagsHeard(vertx, dbUri, 4);
    String uri = streamUri(ADMIN, TENANT_A);
    String slow = "reason=\"slow\"";
    assertThat(metric("tenant_features_streams_closed_total", slow)).isZero();
    try (Socket reader = openStream(uri, 1024)) {
      // Changes of the tenant, each an event on its stream, until the server gives the stream up.
      long deadline = System.nanoTime() + 20_000_000_000L;
      int writes = 0;
      while (metric("tenant_features_streams_closed_total", slow) == 0) {
        assertThat(System.nanoTime()).as("the stream closed as slow within 20 s (%d writes so far)", writes).isLessThan(deadline);
        assertThat(sendJson(HttpMethod.PUT, "/api/v3/features/tenant/flag_001", ADMIN, TENANT_A,
            new JsonObject().put("enabled", writes % 2 == 0)).statusCode()).isEqualTo(200);
        writes++;
      }
      // The connection is gone: what the kernel still held, then the end, never a growing backlog.
      reader.setSoTimeout(5_000);
      long got = 0;
      try {
        byte[] buffer = new byte[8192];
        for (int n; (n = reader.getInputStream().read(buffer)) >= 0; ) {
          got += n;
        }
      } catch (SocketTimeoutException open) {
        throw new AssertionError("the slow stream's connection still open 5 s after it was counted closed", open);
      } catch (SocketException reset) {
        // closed as well
      }
      log.info("Slow stream closed after {} writes; {} bytes were left for its client", writes, got);
      assertThat(got).as("bytes left for the slow client after the close").isLessThan(64 * 1024);
    }
    assertThat(metric("tenant_features_streams_closed_total", slow)).isEqualTo(1);
    // Its place under http.maxStreamsPerToken is free again.
    try (Socket again = openStream(uri, 64 * 1024)) {
      assertThat(head(again)).startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  @DisplayName("17. The 429 for a stream beyond http.maxStreamsPerToken carries Retry-After")
  void tooManyStreamsSaysWhenToComeBack() throws Exception {
    dbUri = TestPostgres.shared().createDatabase();
    start(TestConfig.forDatabase(dbUri).with("http.maxStreamsPerToken", 1).with("http.streamHeartbeatMs", 3_000));
    Seed.flagsHeard(vertx, dbUri, 4);
    String uri = streamUri(ADMIN, TENANT_A);
    try (Socket first = openStream(uri, 64 * 1024)) {
      assertThat(head(first)).startsWith("HTTP/1.1 200 ");
      HttpResponse<Buffer> second = await(service.client().get(uri).send());
      assertProblem(second, 429, "too-many-streams");
      assertThat(second.getHeader("Retry-After")).as("seconds: the heartbeat, which finds a dead stream").isEqualTo("3");
    }
  }

  @Test
  @DisplayName("18. GET /api/v3/flags/{name} tells how many tenants override the flag to all-tenant tokens only")
  void overrideCountForAllTenantTokensOnly() throws Exception {
    start();
    assertThat(sendJson(HttpMethod.PUT, "/api/v3/features/tenant/flag_001", ADMIN, TENANT_B,
        new JsonObject().put("enabled", true)).statusCode()).isEqualTo(200);
    JsonObject scoped = send(HttpMethod.GET, "/api/v3/flags/flag_001", SCOPED_ADMIN, null).bodyAsJsonObject();
    assertThat(scoped.getString("name")).isEqualTo("flag_001");
    assertThat(scoped.fieldNames()).as("the flag as a token of tenant A sees it").doesNotContain("overrides");
    assertThat(send(HttpMethod.GET, "/api/v3/flags/flag_001", ADMIN, null).bodyAsJsonObject().getLong("overrides")).isEqualTo(1);
    assertThat(send(HttpMethod.GET, "/api/v3/flags/flag_001", TestConfig.ALL_TENANTS_TOKEN, null).bodyAsJsonObject()
        .getLong("overrides")).isEqualTo(1);
  }

  private HttpResponse<Buffer> sendRaw(HttpMethod method, String path, String token, String tenant, String json) throws Exception {
    return await(request(method, path, token, tenant).putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(json)));
  }

  @Test
  @DisplayName("19. A JSON body naming a key twice, at any depth, is refused: OFREP's PARSE_ERROR, v3's bad-body; nothing changes")
  void duplicateKeysAreRefused() throws Exception {
    start();
    String a = TENANT_A;
    String b = TENANT_B;
    for (String context : List.of(
        "{\"context\":{\"targetingKey\":\"" + a + "\",\"targetingKey\":\"" + b + "\"}}",
        "{\"context\":{\"targetingKey\":\"" + b + "\",\"targetingKey\":\"" + a + "\"}}",
        "{\"context\":{\"targetingKey\":\"" + a + "\"},\"context\":{\"targetingKey\":\"" + b + "\"}}",
        "{\"context\":{\"targetingKey\":\"" + a + "\",\"plan\":{\"tier\":1,\"tier\":2}}}",
        "{\"context\":{\"targetingKey\":\"" + a + "\",\"list\":[{\"x\":{\"y\":1,\"y\":1}}]}}")) {
      for (String path : List.of("/ofrep/v1/evaluate/flags", "/ofrep/v1/evaluate/flags/flag_001")) {
        HttpResponse<Buffer> answer = sendRaw(HttpMethod.POST, path, SCOPED_ADMIN, null, context);
        assertThat(answer.statusCode()).as("%s to %s: %s", context, path, answer.bodyAsString()).isEqualTo(400);
        assertThat(answer.bodyAsJsonObject().getString("errorCode")).isEqualTo("PARSE_ERROR");
        assertThat(answer.bodyAsJsonObject().getString("errorDetails")).containsIgnoringCase("twice");
      }
    }
    assertThat(sendRaw(HttpMethod.POST, "/ofrep/v1/evaluate/flags", SCOPED_ADMIN, null,
        "{\"context\":{\"targetingKey\":\"" + a + "\",\"plan\":{\"tier\":1}}}").statusCode()).as("no duplicate").isEqualTo(200);

    long audit = count("SELECT count(*) FROM audit_log");
    assertProblem(sendRaw(HttpMethod.PUT, "/api/v3/features/tenant/flag_001", ADMIN, a, "{\"enabled\":false,\"enabled\":true}"),
        400, "bad-body");
    assertProblem(sendRaw(HttpMethod.POST, "/api/v3/flags", ADMIN, null,
        "{\"name\":\"dup_one\",\"description\":\"x\",\"name\":\"dup_two\"}"), 400, "bad-body");
    assertProblem(sendRaw(HttpMethod.PUT, "/api/v3/tenants/" + a, ADMIN, null,
        "{\"name\":\"Acme\",\"attributes\":{\"plan\":\"free\",\"plan\":\"pro\"}}"), 400, "bad-body");
    assertThat(count("SELECT count(*) FROM audit_log")).as("audit rows after refused bodies").isEqualTo(audit);
    assertThat(count("SELECT count(*) FROM feature_flags WHERE name LIKE 'dup%'")).isZero();
  }
}
