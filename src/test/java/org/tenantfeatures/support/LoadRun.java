package org.tenantfeatures.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.IntFunction;

/**
 * Sends {@code total} requests from {@code concurrency} loops, each starting its next request
 * when the last one answered, and sorts every answer: right, wrong (a 200 whose body is not the
 * expected one), or by status. Bounded by count; each request by the client's own timeout.
 */
public final class LoadRun {

  /** What a run saw. {@code samples} holds a few wrong bodies for the failure message. */
  public record Result(int requests, int right, int wrong, Map<Integer, Integer> byStatus, int transportErrors,
                       List<String> samples) {
  }

  private LoadRun() {
  }

  /**
   * @param send     sends request number {@code i}
   * @param isRight  whether request {@code i}'s 200 answer is right
   */
  public static Future<Result> run(int total, int concurrency, IntFunction<Future<HttpResponse<Buffer>>> send,
                                   BiPredicate<Integer, HttpResponse<Buffer>> isRight) {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger right = new AtomicInteger();
    AtomicInteger wrong = new AtomicInteger();
    AtomicInteger transport = new AtomicInteger();
    Map<Integer, Integer> byStatus = new ConcurrentHashMap<>();
    List<String> samples = Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> loops = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      Promise<Void> done = Promise.promise();
      loop(next, total, send, (i, response) -> {
        byStatus.merge(response.statusCode(), 1, Integer::sum);
        if (response.statusCode() == 200) {
          if (isRight.test(i, response)) {
            right.incrementAndGet();
          } else {
            wrong.incrementAndGet();
            if (samples.size() < 5) {
              samples.add(response.bodyAsString());
            }
          }
        }
      }, transport, done);
      loops.add(done.future());
    }
    return Future.all(loops).map(v -> new Result(Math.min(next.get(), total), right.get(), wrong.get(),
        Map.copyOf(byStatus), transport.get(), List.copyOf(samples)));
  }

  private static void loop(AtomicInteger next, int total, IntFunction<Future<HttpResponse<Buffer>>> send,
                           BiConsumer<Integer, HttpResponse<Buffer>> sort, AtomicInteger transport, Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= total) {
      done.tryComplete();
      return;
    }
    send.apply(i).onComplete(result -> {
      if (result.succeeded()) {
        sort.accept(i, result.result());
      } else {
        transport.incrementAndGet();
      }
      loop(next, total, send, sort, transport, done);
    });
  }
}
