package org.tenantfeatures.support;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A process a test started (haproxy, pgbouncer) that must not outlive it: killed by a shutdown
 * hook should the JVM end without the test's clean-up (a killed build), and stopped with SIGTERM,
 * then SIGKILL past a deadline.
 */
public final class ChildProcess {

  private final Process process;
  private final Thread killOnExit;

  public ChildProcess(Process process, String name) {
    this.process = process;
    this.killOnExit = new Thread(process::destroyForcibly, name + "-kill-on-exit");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  public Process process() {
    return process;
  }

  /** What a test waits for once the process started: it answers, or it throws. */
  public interface Readiness {
    void await() throws Exception;
  }

  /** Waits for the process to be ready; if it never is, stops it before the failure goes on. */
  public void awaitOrStop(Readiness ready, Duration stopDeadline) throws Exception {
    try {
      ready.await();
    } catch (Exception | AssertionError e) {
      stop(stopDeadline);
      throw e;
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within {@code deadline}; true once it has exited. */
  public boolean stop(Duration deadline) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException jvmShuttingDown) {
      // the hook runs anyway; the process is gone already
    }
    return !process.isAlive();
  }
}
