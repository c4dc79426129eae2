package org.tenantfeatures.tools.loadgen;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code --rollout FLAG:PERCENT@SECONDS}: sets the rollout of one flag through the service's API
 * ({@code PUT /api/v3/flags/FLAG/targeting}, the rest of its targeting kept) that long into the
 * run, and records, before sending it, the new map of every tenant it moves in the
 * {@link TenantHistory}: maps the reference evaluator ({@link ReferenceEvaluator}) computed from
 * each tenant's rows read before the run, not the service's answer. Then, for each {@code --probe}
 * node, asks a sample of the moved tenants straight from that node, round after round, until each
 * answers its new map, and prints how long after the change's answer that took.
 */
final class RolloutChange implements AutoCloseable {

  private static final int PROBE_SAMPLE = 200;

  private final TenantHistory history;
  private final LoadOptions options;
  private final Map<String, JsonObject> moved;
  private final String body;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Thread thread;
  private volatile String result = "rollout: not made (the run ended first)";
  private volatile boolean over;

  private RolloutChange(TenantHistory history, LoadOptions options, Map<String, JsonObject> moved, String body) {
    this.history = history;
    this.options = options;
    this.moved = moved;
    this.body = body;
    this.thread = new Thread(this::run, "rollout-change");
    this.thread.setDaemon(true);
  }

  /**
   * Reads every tenant's rows once: their map now (the history's start) and their map after the
   * change; keeps the second for the tenants it moves.
   */
  static RolloutChange prepare(DataSet data, TenantHistory history, List<String> tenants, LoadOptions options) throws Exception {
    Map<String, JsonObject> moved = new LinkedHashMap<>();
    Map<String, Object> targeting = null;
    for (String tenant : tenants) {
      DataSet.TenantRows rows = data.rows(tenant);
      if (targeting == null) {
        Map<String, Object> now = rows.flags().get(options.rolloutFlag());
        if (now == null) {
          throw new IllegalArgumentException("--rollout: no flag '" + options.rolloutFlag() + "' in the catalogue");
        }
        targeting = new HashMap<>(now);
        targeting.put("rollout", Map.of("percentage", options.rolloutPercent()));
      }
      JsonObject before = rows.map();
      history.current(tenant, before);
      JsonObject after = rows.mapWith(options.rolloutFlag(), targeting);
      if (!after.equals(before)) {
        moved.put(tenant, after);
      }
    }
    return new RolloutChange(history, options, moved, new JsonObject(targeting).encode());
  }

  void start() {
    thread.start();
  }

  private void run() {
    List<String> sample = new ArrayList<>(moved.keySet());
    Collections.shuffle(sample, new Random(7));
    sample = sample.subList(0, Math.min(PROBE_SAMPLE, sample.size()));
    // One round before the change, answers unchecked, so that the measured rounds find their
    // connections open and this JVM's HTTP client compiled.
    for (String probe : options.probes()) {
      ask(probe, sample);
    }
    // A timer, not a synchronisation: the change is due this long into the run.
    long due = System.nanoTime() + options.rolloutAtMs() * 1_000_000L;
    while (!over && System.nanoTime() - due < 0) {
      LockSupport.parkNanos(due - System.nanoTime());
    }
    if (over) {
      return;
    }
    long start = System.nanoTime();
    List<Object> pending = new ArrayList<>(moved.size());
    moved.forEach((tenant, map) -> pending.add(history.pending(tenant, map, start)));
    HttpResponse<String> answer;
    try {
      answer = http.send(request(base(options.url()) + "/api/v3/flags/" + options.rolloutFlag() + "/targeting")
          .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      // Its outcome unknown, the new maps stay possible from now on: the verification stays sound.
      long end = System.nanoTime();
      pending.forEach(p -> history.settled(p, end));
      result = "rollout: the change failed: " + e;
      return;
    }
    long end = System.nanoTime();
    pending.forEach(p -> history.settled(p, end));
    if (answer.statusCode() != 200) {
      result = "rollout: the change was refused: " + answer.statusCode() + " " + answer.body();
      return;
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "rollout: flag=%s percentage=%s moved=%d change_ms=%.1f",
        options.rolloutFlag(), options.rolloutPercent(), moved.size(), (end - start) / 1e6));
    for (String probe : options.probes()) {
      line.append(' ').append(probeLine(probe, sample, end));
    }
    result = line.toString();
  }

  /**
   * Asks every sampled tenant from one node, all at once, round after round, until each has
   * answered its new map (or 10 s have passed): when, after the change's answer, the round in
   * which the last one did began ({@code asked_after_ms}; near 0 if the first round found every
   * map new) and ended ({@code answered_after_ms}: on a saturated machine mostly queueing).
   */
  private String probeLine(String node, List<String> sample, long changed) {
    List<String> waiting = new ArrayList<>(sample);
    int rounds = 0;
    long deadline = changed + 10_000_000_000L;
    long roundStart = changed;
    while (!waiting.isEmpty() && System.nanoTime() - deadline < 0) {
      rounds++;
      roundStart = System.nanoTime();
      List<CompletableFuture<Boolean>> answers = ask(node, waiting);
      List<String> still = new ArrayList<>();
      for (int i = 0; i < waiting.size(); i++) {
        if (!answers.get(i).join()) {
          still.add(waiting.get(i));
        }
      }
      waiting = still;
    }
    return String.format(Locale.ROOT, "probe[%s]={sampled=%d,rounds=%d,asked_after_ms=%.1f,answered_after_ms=%.1f,not_new=%d}",
        base(node), sample.size(), rounds, (roundStart - changed) / 1e6, (System.nanoTime() - changed) / 1e6, waiting.size());
  }

  /** Asks each tenant's map from the node at once: whether each answered its new map. */
  private List<CompletableFuture<Boolean>> ask(String node, List<String> tenants) {
    List<CompletableFuture<Boolean>> answers = new ArrayList<>();
    for (String tenant : tenants) {
      answers.add(http.sendAsync(request(base(node) + "/api/v3/features/tenant").header("X-Tenant-ID", tenant).GET().build(),
          HttpResponse.BodyHandlers.ofString())
          .thenApply(r -> r.statusCode() == 200 && new JsonObject(r.body()).equals(moved.get(tenant)))
          .exceptionally(failure -> false));
    }
    answers.forEach(CompletableFuture::join);
    return answers;
  }

  private HttpRequest.Builder request(String url) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
    for (String[] header : options.headers()) {
      if (!header[0].equalsIgnoreCase("X-Tenant-ID")) {
        request.header(header[0], header[1]);
      }
    }
    return request;
  }

  /** {@code scheme://host:port} of a URL. */
  private static String base(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  /** The line that says what the change did, once the run is over. */
  String result() {
    return result;
  }

  @Override
  public void close() throws InterruptedException {
    over = true;
    LockSupport.unpark(thread);
    thread.join(15_000);
  }
}
