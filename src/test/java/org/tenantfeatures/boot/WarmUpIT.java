package org.tenantfeatures.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.http.Routes;
import org.tenantfeatures.support.RunningService;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;
import org.tenantfeatures.telemetry.MetricsSetup;

/**
 * The start-up warm-up ({@code http.warmUpMs}): the node's port stays closed while it warms up,
 * and the warm-up leaves no trace a client could see (no answers or requests counted, nothing in
 * the node's cache), though it did read the database.
 */
@DisplayName("Start-up warm-up")
class WarmUpIT {

  private static final int WARM_UP_MS = 2_000;

  private Vertx vertx;

  @AfterEach
  void close() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  @DisplayName("The port opens only after the warm-up, whose reads are counted nowhere a client looks")
  void portOpensWarmAndUntouched() throws Exception {
    String dbUri = TestPostgres.shared().createDatabase();
    AppConfig config = TestConfig.forDatabase(dbUri).with("http.warmUpMs", WARM_UP_MS).build();
    vertx = Vertx.vertx(MetricsSetup.vertxOptions(config));

    long started = System.nanoTime();
    Future<RunningService> deploying = RunningService.deploy(vertx, config);
    int refusals = 0;
    long deadline = started + TimeUnit.SECONDS.toNanos(90);
    while (!deploying.isComplete() && System.nanoTime() < deadline) {
      if (portOpen(config.http().port())) {
        // The listener opens as the deployment's last step, a moment before its future completes
        // (seen once in the full suite, 2.5 s in): open is right then, and only after the warm-up.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
            .as("the port is closed until the deployment, warm-up included, is done").isGreaterThanOrEqualTo(WARM_UP_MS);
        break;
      }
      refusals++;
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    RunningService service = await(deploying);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(tookMs).as("the deployment waited out the warm-up").isGreaterThanOrEqualTo(WARM_UP_MS);
    assertThat(refusals).as("probes refused during the deployment").isGreaterThan(WARM_UP_MS / 100);

    String metrics = await(service.client().get(Routes.METRICS).send()).bodyAsString();
    assertThat(seriesTotal(metrics, "vertx_sql_processing_time_seconds_count", ""))
        .as("the warm-up's reads of the database:\n%s", metrics).isGreaterThan(10);
    assertThat(seriesTotal(metrics, "tenant_features_answers_total{", "")).as("answers counted").isZero();
    assertThat(seriesTotal(metrics, "vertx_http_server_requests_total{", "")).as("requests counted").isZero();
    assertThat(seriesTotal(metrics, "cache_size{", "cache=\"tenant_maps\"")).as("maps in the node's cache").isZero();

    Seed.flags(dbUri, 3);
    String tenant = Seed.tenantWithData(dbUri);
    HttpResponse<Buffer> first = await(service.getFeatures(tenant), Duration.ofSeconds(30));
    assertThat(first.statusCode()).isEqualTo(200);
    String after = await(service.client().get(Routes.METRICS).send()).bodyAsString();
    assertThat(seriesTotal(after, "tenant_features_answers_total{", "outcome=\"ok\"")).as("a client's answer is counted").isEqualTo(1);
  }

  private static boolean portOpen(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }

  /** The sum of the series whose lines start with {@code name} and contain {@code label}. */
  private static double seriesTotal(String scrape, String name, String label) {
    return scrape.lines()
        .filter(l -> l.startsWith(name) && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
