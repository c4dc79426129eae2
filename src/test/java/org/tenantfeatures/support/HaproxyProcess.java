package org.tenantfeatures.support;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  private final ChildProcess child;
  private final int port;

  private HaproxyProcess(Process process, int port) {
    this.child = new ChildProcess(process, "haproxy");
    this.port = port;
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
    haproxy.child.awaitOrStop(() -> ServiceProcess.awaitReady(port, List.of(haproxy.child.process()), log.toString()),
        STOP_DEADLINE);
    return haproxy;
  }

  public int port() {
    return port;
  }

  /** SIGTERM, then SIGKILL if it has not exited in time. */
  public void stop() throws InterruptedException {
    child.stop(STOP_DEADLINE);
  }
}
