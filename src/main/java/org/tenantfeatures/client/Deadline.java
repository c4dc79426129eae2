package org.tenantfeatures.client;

/**
 * A point in time by which an answer is due, on this JVM's monotonic clock. Only remaining
 * budgets cross the bus ({@link FeatureBus#BUDGET_MS}), never instants, so nodes need no
 * synchronised clocks.
 */
public final class Deadline {

  private final long dueNanos;

  private Deadline(long dueNanos) {
    this.dueNanos = dueNanos;
  }

  public static Deadline in(long millis) {
    return new Deadline(System.nanoTime() + millis * 1_000_000L);
  }

  public long remainingMs() {
    return Math.max(0, (dueNanos - System.nanoTime()) / 1_000_000L);
  }
}
