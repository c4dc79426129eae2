package org.tenantfeatures.tools.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Sends requests from {@code concurrency} loops, each starting its next request when its last
 * one is answered, until the count or the duration is reached, and sorts every answer. All
 * counting happens on the one event loop the client's Vert.x has, so it needs no locks.
 */
public final class LoadGenerator {

  private static final String TENANT_HEADER = "X-Tenant-ID";

  private final Vertx vertx;
  private final LoadOptions options;
  private final List<String> tenants;
  private final TenantHistory history;
  private final WebClient client;
  private final String path;

  // Counters, touched only on the client's event loop.
  private long sent;
  private long done;
  private long ok;
  private long wrong;
  private long errors4xx;
  private long errors5xx;
  private long timeouts;
  private long ioErrors;
  private long otherStatus;
  private long stale;
  private long problemViolations;
  private long maxErrorMicros;
  private final Map<Integer, Long> byStatus = new HashMap<>();
  private final Map<String, Long> byProblem = new HashMap<>();
  private final List<String> wrongSamples = new ArrayList<>();
  private final Histogram latency = new Histogram(3_600_000_000L, 3);

  /**
   * @param vertx   a Vert.x with one event loop, used only by this generator
   * @param tenants tenants to spread requests over (X-Tenant-ID), or empty to send the headers as given
   * @param history the truth to verify 200 bodies against, or null not to verify
   */
  public LoadGenerator(Vertx vertx, LoadOptions options, List<String> tenants, TenantHistory history) {
    this.vertx = vertx;
    this.options = options;
    this.tenants = List.copyOf(tenants);
    this.history = history;
    URI uri = URI.create(options.url());
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    this.path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    this.client = WebClient.create(vertx, new WebClientOptions()
            .setDefaultHost(uri.getHost()).setDefaultPort(port).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(options.concurrency()).setMaxWaitQueueSize(-1));
  }

  /**
   * Runs to the end. {@code progress} gets a line every second (may be null); {@code writes}
   * tells how many data changes were made so far, for the progress lines and the report.
   */
  public Future<LoadReport> run(Consumer<String> progress, LongSupplier writes) {
    Promise<LoadReport> finished = Promise.promise();
    vertx.runOnContext(v -> {
      long start = System.nanoTime();
      long endNanos = options.duration() == null ? Long.MAX_VALUE : start + options.duration().toNanos();
      long timer = progress == null ? -1 : vertx.setPeriodic(1000, id -> progress.accept(progressLine(start, writes)));
      List<Future<Void>> loops = new ArrayList<>();
      for (int i = 0; i < options.concurrency(); i++) {
        Promise<Void> loop = Promise.promise();
        next(new SplittableRandom(i), endNanos, loop);
        loops.add(loop.future());
      }
      Future.all(loops).onComplete(all -> {
        if (timer >= 0) {
          vertx.cancelTimer(timer);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        client.close();
        finished.complete(new LoadReport(done, ok, wrong, stale, errors4xx, errors5xx, timeouts, ioErrors, otherStatus,
            problemViolations, Map.copyOf(byStatus), Map.copyOf(byProblem), writes.getAsLong(), seconds, latency.copy(),
            maxErrorMicros, List.copyOf(wrongSamples)));
      });
    });
    return finished.future();
  }

  private boolean more(long endNanos) {
    return options.duration() == null ? sent < options.requests() : System.nanoTime() - endNanos < 0;
  }

  private void next(SplittableRandom random, long endNanos, Promise<Void> loop) {
    if (!more(endNanos)) {
      loop.complete();
      return;
    }
    sent++;
    String tenant = tenants.isEmpty() ? null : tenants.get(random.nextInt(tenants.size()));
    HttpRequest<Buffer> request = client.get(path).timeout(options.timeoutMs());
    for (String[] header : options.headers()) {
      request.putHeader(header[0], header[1]);
    }
    if (tenant != null) {
      request.putHeader(TENANT_HEADER, tenant);
    } else {
      tenant = request.headers().get(TENANT_HEADER);
    }
    String asked = tenant;
    long started = System.nanoTime();
    request.send().onComplete(result -> {
      long ended = System.nanoTime();
      long micros = Math.max(1, (ended - started) / 1000);
      latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
      done++;
      if (result.succeeded()) {
        sort(result.result(), asked, started, ended, micros);
      } else if (result.cause() instanceof TimeoutException) {
        timeouts++;
      } else {
        ioErrors++;
      }
      next(random, endNanos, loop);
    });
  }

  private void sort(HttpResponse<Buffer> response, String tenant, long started, long ended, long micros) {
    int status = response.statusCode();
    byStatus.merge(status, 1L, Long::sum);
    if (status == 200 && response.getHeader("Warning") != null) {
      // Marked stale (stale-if-error): not fresh, but still a state the tenant really had, as old
      // as its Age says (whole seconds, so up to one more).
      long age = parseAge(response.getHeader("Age"));
      if (history == null || (age >= 0 && isRight(response, tenant, started - (age + 1) * 1_000_000_000L, ended))) {
        stale++;
      } else {
        wrong("tenant " + tenant + " (marked stale): " + response.bodyAsString());
      }
      return;
    }
    if (status == 200) {
      if (history == null || isRight(response, tenant, started, ended)) {
        ok++;
      } else {
        wrong("tenant " + tenant + ": " + response.bodyAsString());
      }
      return;
    }
    if (status >= 400 && status < 500) {
      errors4xx++;
    } else if (status >= 500) {
      errors5xx++;
    } else {
      otherStatus++;
      return;
    }
    maxErrorMicros = Math.max(maxErrorMicros, micros);
    String type = response.getHeader("Content-Type");
    boolean problem = type != null && type.startsWith("application/problem+json");
    boolean retryAfterMissing = (status == 503 || status == 504) && response.getHeader("Retry-After") == null;
    if (!problem || retryAfterMissing) {
      problemViolations++;
    }
    byProblem.merge(problem ? problemType(response) : "none", 1L, Long::sum);
  }

  /** Counts a wrong answer, and keeps the first few for the report. */
  private void wrong(String sample) {
    wrong++;
    if (wrongSamples.size() < 5) {
      wrongSamples.add(sample);
    }
  }

  private static String problemType(HttpResponse<Buffer> response) {
    try {
      JsonObject body = response.bodyAsJsonObject();
      return body != null && body.getValue("type") instanceof String type ? type : "none";
    } catch (RuntimeException notJson) {
      return "none";
    }
  }

  /** Seconds, or -1 when missing or unreadable: a stale answer must say how old it is. */
  private static long parseAge(String age) {
    try {
      return age == null ? -1 : Math.max(-1, Long.parseLong(age.trim()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private boolean isRight(HttpResponse<Buffer> response, String tenant, long started, long ended) {
    if (tenant == null || !history.knows(tenant.toLowerCase(Locale.ROOT))) {
      return false;
    }
    JsonObject body;
    try {
      body = response.bodyAsJsonObject();
    } catch (RuntimeException notAnObject) {
      return false;
    }
    return body != null && history.matches(tenant.toLowerCase(Locale.ROOT), body, started, ended,
        options.maxStaleMs() * 1_000_000L);
  }

  private String progressLine(long start, LongSupplier writes) {
    double seconds = (System.nanoTime() - start) / 1e9;
    return String.format(Locale.ROOT, "[%5.1fs] requests=%d ok=%d wrong=%d errors_4xx=%d errors_5xx=%d timeouts=%d rps=%.0f writes=%d",
        seconds, done, ok, wrong, errors4xx, errors5xx, timeouts, done / Math.max(seconds, 1e-9), writes.getAsLong());
  }
}
