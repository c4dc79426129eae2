package org.tenantfeatures.tools.loadgen;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes data while readers run: flips one random override of one random tenant at a steady
 * rate, straight in the database, and records each new state with its commit window in the
 * {@link TenantHistory}. It is the only writer of those tenants, so its states are the truth.
 */
final class OverrideFlipper implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OverrideFlipper.class);

  private final DataSet data;
  private final TenantHistory history;
  private final List<String> tenants;
  private final long intervalNanos;
  private final Random random = new Random(42);
  private final AtomicLong writes = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  /** @param tenants the tenants to flip: those of this session (a history may know more) */
  OverrideFlipper(DataSet data, TenantHistory history, List<String> tenants, double perSecond) {
    this.data = data;
    this.history = history;
    this.tenants = List.copyOf(tenants);
    this.intervalNanos = (long) (1_000_000_000L / perSecond);
    this.thread = new Thread(this::run, "override-flipper");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  long writes() {
    return writes.get();
  }

  private void run() {
    long next = System.nanoTime();
    while (running) {
      String tenant = tenants.get(random.nextInt(tenants.size()));
      JsonObject current = history.latest(tenant);
      List<String> flags = new ArrayList<>(current.fieldNames());
      if (flags.isEmpty()) {
        return;
      }
      String flag = flags.get(random.nextInt(flags.size()));
      boolean value = !current.getBoolean(flag);
      long start = System.nanoTime();
      Object pending = history.pending(tenant, current.copy().put(flag, value), start);
      try {
        data.set(tenant, flag, value);
        history.settled(pending, System.nanoTime());
        writes.incrementAndGet();
      } catch (Exception e) {
        // The database may be down on purpose (fault tests): the write's outcome is unknown, so
        // both states stay possible until the truth is read back once the database answers.
        log.debug("override write failed: {}", e.getMessage());
        resync(tenant, start, pending);
      }
      next = pace(next);
    }
  }

  private void resync(String tenant, long start, Object pending) {
    while (running) {
      try {
        JsonObject truth = data.map(tenant);
        long now = System.nanoTime();
        history.settled(pending, now);
        history.changed(tenant, truth, start, now);
        return;
      } catch (Exception e) {
        LockSupport.parkNanos(50_000_000L);
      }
    }
  }

  /** Waits for the next slot of the steady rate (a rate limiter, not a synchronisation). */
  private long pace(long next) {
    long due = next + intervalNanos;
    long wait = due - System.nanoTime();
    if (wait > 0) {
      LockSupport.parkNanos(wait);
    }
    return Math.max(due, System.nanoTime() - intervalNanos);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5_000);
  }
}
