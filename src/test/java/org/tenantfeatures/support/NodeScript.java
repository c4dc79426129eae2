package org.tenantfeatures.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A script of {@code src/test/js} run by Node.js, the way a team's own service would use an
 * OpenFeature JavaScript SDK. Its packages come from the committed lockfile ({@code npm ci}, which
 * {@code scripts/test.sh} runs); the script checks with {@code node:assert} and prints a JSON
 * summary as its last line. Its output is kept in {@code target/js-<script>.log}.
 */
public final class NodeScript {

  public static final Path DIRECTORY = Path.of("src/test/js");
  /** Bounds a script that hangs (a stream never opened, an event never heard); each waits on its own deadlines first. */
  private static final long TIMEOUT_SECONDS = 60;

  private NodeScript() {
  }

  /** Runs {@code script} with {@code environment} added; fails unless it exits 0, and answers its summary. */
  public static JsonObject run(String script, Map<String, String> environment) throws Exception {
    return run(script, environment, TIMEOUT_SECONDS);
  }

  /** As {@link #run(String, Map)}, for a script whose own deadlines add up to more than the usual bound. */
  public static JsonObject run(String script, Map<String, String> environment, long timeoutSeconds) throws Exception {
    Path node = Executables.locate("node", List.of("/usr/bin/node"))
        .orElseThrow(() -> new AssertionError("Node.js is needed (scripts/test.sh installs it from Debian when missing)"));
    assertThat(DIRECTORY.resolve("node_modules")).as("the JavaScript clients: npm ci in %s (scripts/test.sh runs it)", DIRECTORY)
        .isDirectory();
    File log = new File("target/js-" + script.replace(".mjs", "") + ".log");
    ProcessBuilder builder = new ProcessBuilder(node.toString(), script).directory(DIRECTORY.toFile())
        .redirectErrorStream(true).redirectOutput(log);
    builder.environment().putAll(environment);
    Process process = builder.start();
    boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    String output = Files.readString(log.toPath());
    assertThat(ended).as("%s ended within %d s; its output:%n%s", script, timeoutSeconds, output).isTrue();
    assertThat(process.exitValue()).as("%s's exit status; its output:%n%s", script, output).isZero();
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    return new JsonObject(lines.get(lines.size() - 1));
  }
}
