package org.tenantfeatures.support;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One haproxy process in the foreground with the shipped {@code conf/haproxy.cfg} (the one
 * {@code scripts/cluster.sh} runs), in front of two nodes on loopback, so that a test sees what a
 * client behind that load balancer would. The configuration takes its ports from the environment.
 */
public final class HaproxyProcess {

  /** Where Debian's package puts it; otherwise it is looked for on PATH. */
  public static final List<String> CANDIDATE_BINARIES = List.of("/usr/sbin/haproxy");
  public static final Path CONFIG = Path.of("conf/haproxy.cfg");
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(20);

  /** The haproxy binary: one of {@link #CANDIDATE_BINARIES} or on PATH. */
  public static Optional<Path> locate() {
    return Executables.locate("haproxy", CANDIDATE_BINARIES);
  }

  private final Process process;
  private final int port;
  private final Thread killOnExit;

  private HaproxyProcess(Process process, int port) {
    this.process = process;
    this.port = port;
    // Should the JVM end without @AfterEach (a killed build), no haproxy outlives it.
    this.killOnExit = new Thread(process::destroyForcibly, "haproxy-kill-on-exit");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * Starts haproxy on a free port in front of the nodes on {@code node1Port} and {@code node2Port},
   * and returns once {@code /health/ready} through it answers 200 (see
   * {@link ServiceProcess#awaitReady}); its output goes to {@code log}.
   */
  public static HaproxyProcess start(Path binary, File log, int node1Port, int node2Port) throws Exception {
    int port = TestConfig.freePort();
    ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-f", CONFIG.toString(), "-db")
        .redirectErrorStream(true).redirectOutput(log);
    builder.environment().putAll(Map.of("TF_LB_PORT", Integer.toString(port), "TF_NODE1_PORT", Integer.toString(node1Port),
        "TF_NODE2_PORT", Integer.toString(node2Port)));
    HaproxyProcess haproxy = new HaproxyProcess(builder.start(), port);
    try {
      ServiceProcess.awaitReady(port, List.of(haproxy.process), log.toString());
    } catch (Exception | AssertionError e) {
      haproxy.stop();
      throw e;
    }
    return haproxy;
  }

  public int port() {
    return port;
  }

  /** SIGTERM, then SIGKILL if it has not exited in time. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException jvmShuttingDown) {
      // the hook runs anyway; the process is gone already
    }
  }
}
