package org.tenantfeatures.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.tenantfeatures.boot.Main;
import org.tenantfeatures.config.ConfigLoader;

/**
 * The service's real entry point, {@link Main}, in a JVM of its own with the tests' class path:
 * for what only a whole process shows (start-up refusals and exit codes, the environment's
 * overrides, a node stopped with SIGTERM). Configured by environment variables alone: the
 * overlay file variable ({@link ConfigLoader#OVERLAY_ENV}) is removed, so that no file the
 * developer points at leaks in. Its output goes to a log file for the failure message.
 */
public final class ServiceProcess {

  private static final Duration READY_DEADLINE = Duration.ofSeconds(90);

  private ServiceProcess() {
  }

  /**
   * The environment every test node starts from: its database, a loopback listener on
   * {@code httpPort}, an application name to find its connections by in pg_stat_activity, and no
   * start-up warm-up.
   * Mutable, for the test's own settings.
   */
  public static Map<String, String> environment(String dbUri, int httpPort, String applicationName) {
    Map<String, String> env = new HashMap<>();
    env.put("TF_DB_URI", dbUri);
    env.put("TF_HTTP_HOST", "127.0.0.1");
    env.put("TF_HTTP_PORT", Integer.toString(httpPort));
    env.put("TF_DB_APPLICATION_NAME", applicationName);
    env.put("TF_HTTP_WARM_UP_MS", "0");
    return env;
  }

  /** Starts {@link Main} with {@code env} on top of this JVM's environment; {@code jvmOptions} go before the class path. */
  public static Process start(Map<String, String> env, File log, String... jvmOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove(ConfigLoader.OVERLAY_ENV);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(log);
    return builder.start();
  }

  /** SIGTERM to all (a graceful stop each), then up to {@code grace} for each to exit before SIGKILL. */
  public static void stop(Duration grace, Collection<Process> processes) throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /**
   * Polls {@code /health/ready} on 127.0.0.1:{@code port} every 100 ms until it answers 200; fails
   * after 90 s, or as soon as one of {@code watched} has exited ({@code logs}: where to look).
   */
  public static void awaitReady(int port, Collection<Process> watched, String logs) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    long giveUp = System.nanoTime() + READY_DEADLINE.toNanos();
    while (true) {
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (Exception notYet) {
        // not listening yet
      }
      for (Process p : watched) {
        assertThat(p.isAlive()).as("a process exited while waiting for port %d; see %s", port, logs).isTrue();
      }
      assertThat(System.nanoTime()).as("port %d not ready in 90 s", port).isLessThan(giveUp);
      LockSupport.parkNanos(100_000_000L);
    }
  }
}
