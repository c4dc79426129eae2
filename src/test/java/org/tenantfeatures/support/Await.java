package org.tenantfeatures.support;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Blocking on a future from a test thread, the one way the tests do it. */
public final class Await {

  /** Long enough for a cluster to form on a busy two-core machine; short of hanging the build. */
  private static final long LIMIT_SECONDS = 90;

  private Await() {
  }

  /** The future's result, or its failure thrown; fails after 90 s. */
  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS);
  }

  /** The same with a limit of the step's own: a deadline that is part of what the test checks, or a bounded clean-up. */
  public static <T> T await(Future<T> future, Duration limit) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
  }
}
