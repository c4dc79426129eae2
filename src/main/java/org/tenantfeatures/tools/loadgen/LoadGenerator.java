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
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

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
  private final WebClient client;
  private final String path;

  private final AnswerTally tally;
  /** Requests started; touched only on the client's event loop. */
  private long sent;
  /**
   * Each tenant's last 200 answer, for --revalidate: its ETag is sent as If-None-Match, and a 304
   * is judged by its body. Touched only on the client's event loop.
   */
  private final Map<String, AnswerBodies.Held> held = new HashMap<>();

  /**
   * @param vertx   a Vert.x with one event loop, used only by this generator
   * @param tenants tenants to spread requests over (X-Tenant-ID), or empty to send the headers as given
   * @param history the truth to verify 200 bodies against, or null not to verify
   */
  public LoadGenerator(Vertx vertx, LoadOptions options, List<String> tenants, TenantHistory history) {
    this.vertx = vertx;
    this.options = options;
    this.tenants = List.copyOf(tenants);
    this.tally = new AnswerTally(history, options.maxStaleMs(), options.ofrep());
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
      long timer = progress == null ? -1 : vertx.setPeriodic(1000,
          id -> progress.accept(tally.progressLine((System.nanoTime() - start) / 1e9, writes.getAsLong())));
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
        finished.complete(tally.report(writes.getAsLong(), seconds));
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
    String tenant = tenants.isEmpty() ? null
        : tenants.get(options.each() ? (int) ((sent - 1) % tenants.size()) : random.nextInt(tenants.size()));
    HttpRequest<Buffer> request = (options.ofrep() ? client.post(path) : client.get(path)).timeout(options.timeoutMs());
    for (String[] header : options.headers()) {
      request.putHeader(header[0], header[1]);
    }
    if (tenant == null) {
      tenant = request.headers().get(TENANT_HEADER);
    } else if (!options.ofrep()) {
      request.putHeader(TENANT_HEADER, tenant);
    }
    String asked = tenant;
    AnswerBodies.Held revalidated = options.revalidate() ? held.get(asked) : null;
    if (revalidated != null) {
      request.putHeader("If-None-Match", revalidated.etag());
    }
    long started = System.nanoTime();
    Future<HttpResponse<Buffer>> answer = options.ofrep()
        ? request.sendJsonObject(new JsonObject().put("context", new JsonObject().put("targetingKey", asked)))
        : request.send();
    answer.onComplete(result -> {
      tally.answered(result, asked, started, System.nanoTime(), revalidated);
      if (options.revalidate() && result.succeeded() && result.result().statusCode() == 200
          && result.result().getHeader("ETag") != null && asked != null) {
        held.put(asked, tally.held(result.result()));
      }
      next(random, endNanos, loop);
    });
  }
}
