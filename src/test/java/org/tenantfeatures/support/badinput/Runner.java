package org.tenantfeatures.support.badinput;

import static org.tenantfeatures.support.badinput.BadInputPlan.CASE_WATCHDOG_MS;
import static org.tenantfeatures.support.badinput.BadInputPlan.CONCURRENCY;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.tenantfeatures.support.badinput.Case.BodyKind;

/**
 * Sends the cases from {@link BadInputPlan#CONCURRENCY} loops, each starting its next case when the
 * last one finished: through one keep-alive HTTP client, so that garbage and valid requests share
 * connections, or on a socket of its own for a case with raw bytes ({@link RawExchange}). A case
 * without an outcome within {@link BadInputPlan#CASE_WATCHDOG_MS} counts as stuck.
 */
public final class Runner {

  private final Vertx vertx;
  private final int port;
  private final Buffer garbage;
  /** Keeps connections alive: garbage and valid requests share them. */
  private final HttpClientAgent client;
  private final NetClient net;

  public Runner(Vertx vertx, int port, Buffer garbage) {
    this.vertx = vertx;
    this.port = port;
    this.garbage = garbage;
    HttpClientOptions options = new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setMaxInitialLineLength(64 * 1024).setMaxHeaderSize(64 * 1024);
    this.client = vertx.createHttpClient(options.setKeepAlive(true), new PoolOptions().setHttp1MaxSize(CONCURRENCY));
    this.net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2_000));
  }

  public Future<Void> runAll(List<Case> cases, Checker checker) {
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

  public void close() {
    client.close();
    net.close();
  }
}
