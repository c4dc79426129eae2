package org.tenantfeatures.db.pool;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.tenantfeatures.telemetry.Telemetry;

/**
 * The pool's live figures as Vert.x's Micrometer metrics record them (the SQL client exposes
 * no per-request wait time itself): connections in use, requests waiting, and the wait time
 * distribution. Empty where metrics are off (as in most tests).
 */
public final class PoolMetrics {

  private PoolMetrics() {
  }

  public static JsonObject live(String poolName, Telemetry telemetry) {
    MeterRegistry registry = telemetry.registry().orElse(null);
    JsonObject live = new JsonObject();
    if (registry == null) {
      return live.put("metrics", "disabled");
    }
    Gauge inUse = registry.find("vertx.pool.in.use").tag("pool_name", poolName).gauge();
    Gauge waiting = registry.find("vertx.pool.queue.pending").tag("pool_name", poolName).gauge();
    Timer wait = registry.find("vertx.pool.queue.time").tag("pool_name", poolName).timer();
    if (inUse != null) {
      live.put("inUse", (long) inUse.value());
    }
    if (waiting != null) {
      live.put("waiting", (long) waiting.value());
    }
    if (wait != null) {
      JsonObject waitMs = new JsonObject()
          .put("count", wait.count())
          .put("mean", wait.mean(TimeUnit.MILLISECONDS))
          .put("max", wait.max(TimeUnit.MILLISECONDS));
      for (ValueAtPercentile p : wait.takeSnapshot().percentileValues()) {
        waitMs.put("p" + Math.round(p.percentile() * 100), p.value(TimeUnit.MILLISECONDS));
      }
      live.put("waitMs", waitMs);
    }
    return live;
  }
}
