package org.tenantfeatures.http.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.support.RawConnection;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;
import org.tenantfeatures.telemetry.MetricsSetup;

/**
 * The holes an attacker found at the HTTP edge (issue 8) in the connection itself, below any
 * route, each shown closed on a real PostgreSQL: slow-header and silent connections are closed
 * within their timeouts, connections beyond the cap are closed at once, ambiguous framing is a
 * 400 and a closed connection with the smuggled request never served, and h2c is off unless
 * configured. The holes behind the routes are {@link EdgeSecurityIT}'s.
 */
@DisplayName("Edge security: connections")
class EdgeConnectionsIT {

  private static final String ADMIN = "edge-admin-all-tenants";
  private static final String TENANT_A = "aaaaaaaa-0000-4000-8000-00000000000a";

  private Vertx vertx;
  private String dbUri;
  private RunningService service;

  /**
   * The service on a database of its own with four flags, metrics on as the service runs, an
   * admin token (a smuggled request would be served), and the test's settings.
   */
  private void start(UnaryOperator<TestConfig> settings) throws Exception {
    dbUri = TestPostgres.shared().createDatabase();
    AppConfig config = settings.apply(TestConfig.forDatabase(dbUri).withToken("admin", ADMIN, "read", "write", "admin")).build();
    vertx = Vertx.vertx(MetricsSetup.vertxOptions(config));
    service = await(RunningService.deploy(vertx, config, 16));
    Seed.flags(dbUri, 4);
  }

  @AfterEach
  void close() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, String token, String tenant) throws Exception {
    return await(service.request(method, path, token, tenant).send());
  }

  // 3. Connections

  @Test
  @DisplayName("3. Slow-header and silent connections are closed within their timeouts while real requests are served")
  void slowAndIdleConnectionsAreClosed() throws Exception {
    int headerTimeoutMs = 1_000;
    int idleTimeoutMs = 2_000;
    int marginMs = 1_500;
    start(c -> c.with("http.headerTimeoutMs", headerTimeoutMs).with("http.idleTimeoutMs", idleTimeoutMs));
    int port = service.config().http().port();
    byte[] head = "GET /api/v3/flags HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
    ExecutorService threads = Executors.newFixedThreadPool(60);
    try {
      List<Future<Long>> slow = new ArrayList<>();
      List<Future<Long>> silent = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        slow.add(threads.submit((Callable<Long>) () -> {
          // One byte of a request head every 200 ms: never idle, never complete.
          RawConnection c = new RawConnection(port);
          for (int n = 0; c.ageMs() < 10_000; n++) {
            if (!c.trySend(head[Math.min(n, head.length - 1)]) || c.closedByServer()) {
              return c.ageMs();
            }
            Thread.sleep(200);
          }
          return -1L;
        }));
      }
      for (int i = 0; i < 10; i++) {
        silent.add(threads.submit((Callable<Long>) () -> {
          RawConnection c = new RawConnection(port);
          while (c.ageMs() < 10_000) {
            if (c.closedByServer()) {
              return c.ageMs();
            }
            Thread.sleep(50);
          }
          return -1L;
        }));
      }
      // Meanwhile real requests are answered.
      for (int i = 0; i < 20; i++) {
        assertThat(send(HttpMethod.GET, "/api/v3/features/tenant", TestConfig.ALL_TENANTS_TOKEN, TENANT_A).statusCode())
            .isEqualTo(200);
      }
      for (var f : slow) {
        long closedAfter = f.get(30, TimeUnit.SECONDS);
        assertThat(closedAfter).as("a slow-header connection is closed by http.headerTimeoutMs (-1: still open after 10 s)")
            .isBetween((long) headerTimeoutMs - 100, (long) headerTimeoutMs + marginMs);
      }
      for (var f : silent) {
        long closedAfter = f.get(30, TimeUnit.SECONDS);
        assertThat(closedAfter).as("a silent connection is closed by http.idleTimeoutMs (-1: still open after 10 s)")
            .isBetween((long) idleTimeoutMs - 100, (long) idleTimeoutMs + marginMs);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  @DisplayName("3. Connections beyond http.maxConnections are closed at once; the node serves again once they go")
  void connectionCap() throws Exception {
    start(c -> c.with("http.maxConnections", 20));
    int port = service.config().http().port();
    List<RawConnection> held = new ArrayList<>();
    try {
      for (int i = 0; i < 26; i++) {
        held.add(new RawConnection(port));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      long closed;
      do {
        closed = held.stream().filter(RawConnection::closedByServer).count();
      } while (closed < 6 && System.nanoTime() < deadline);
      assertThat(closed).as("connections closed of 26 opened with a cap of 20").isEqualTo(6);
    } finally {
      for (RawConnection c : held) {
        c.close();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int status = 0;
    while (status != 200 && System.nanoTime() < deadline) {
      try {
        status = send(HttpMethod.GET, "/health/live", null, null).statusCode();
      } catch (Exception refusedWhileClosing) {
        status = 0;
      }
    }
    assertThat(status).as("served again once the held connections are gone").isEqualTo(200);
  }

  // 9. Framing

  private RawConnection.Reply raw(String request) throws IOException {
    return RawConnection.exchange(service.config().http().port(), request);
  }

  @Test
  @DisplayName("9. Ambiguous framing is answered 400 and the connection closed, the smuggled request never served; no h2c upgrade")
  void ambiguousFramingIsRefused() throws Exception {
    start(c -> c.with("cache.ttlMs", 60_000));
    String smuggled = "GET /api/v3/flags HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN + "\r\n\r\n";
    List<String> ambiguous = List.of(
        "POST /api/v3/flags HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /api/v3/flags HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n",
        "POST /api/v3/flags HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "POST /api/v3/flags HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    for (String request : ambiguous) {
      RawConnection.Reply answer = raw(request + smuggled);
      assertThat(answer.text()).as("answer to %s", request).startsWith("HTTP/1.").contains(" 400 ")
          .contains("/problems/bad-request");
      assertThat(answer.responses()).as("responses to %s (a second one served the smuggled request)", request).isEqualTo(1);
      assertThat(answer.closed()).as("connection closed after %s", request).isTrue();
    }
    // Legitimate chunked framing is still read, and the connection kept.
    RawConnection.Reply chunked = raw("POST /api/v3/flags HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n0\r\n\r\n"
        + "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(chunked.responses()).isEqualTo(2);
    assertThat(chunked.closed()).isFalse();
    RawConnection.Reply upgrade = raw("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
    assertThat(upgrade.text()).as("h2c is off by default").startsWith("HTTP/1.1 200");
  }

  @Test
  @DisplayName("9. With http.h2c on, an h2c upgrade is accepted")
  void h2cWhenConfigured() throws Exception {
    start(c -> c.with("http.h2c", true));
    RawConnection.Reply upgrade = raw("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
    assertThat(upgrade.text()).startsWith("HTTP/1.1 101");
  }
}
