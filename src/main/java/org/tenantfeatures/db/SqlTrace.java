package org.tenantfeatures.db;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.client.FeatureBus;
import org.tenantfeatures.client.FeatureBus.Fields;

/**
 * The incident team's "echo=True", safe to leave in production: when on, every statement is
 * logged with its duration and row count, and its parameters only if they are allowed to be
 * seen ({@code db.traceSqlParameters}); tenant ids are personal data in many deployments. When
 * off, the cost is one volatile read per statement. Switchable at run time, on every node at once.
 */
public final class SqlTrace {

  private static final Logger log = LoggerFactory.getLogger(SqlTrace.class);

  private volatile boolean enabled;
  private final boolean showParameters;

  SqlTrace(boolean enabled, boolean showParameters) {
    this.enabled = enabled;
    this.showParameters = showParameters;
  }

  /** On this node at once, and on every other through {@link FeatureBus#SQL_TRACE_SWITCHED}. */
  void switchEverywhere(EventBus bus, boolean on) {
    enable(on);
    bus.publish(FeatureBus.SQL_TRACE_SWITCHED, new JsonObject().put(Fields.ENABLED, on));
  }

  /** Follows the switches of the other nodes (this node's own arrives too, and changes nothing). */
  MessageConsumer<JsonObject> followCluster(EventBus bus) {
    return bus.<JsonObject>consumer(FeatureBus.SQL_TRACE_SWITCHED, message -> {
      if (message.body() != null && message.body().getValue(Fields.ENABLED) instanceof Boolean on) {
        enable(on);
      }
    });
  }

  boolean enabled() {
    return enabled;
  }

  void enable(boolean on) {
    if (on != enabled) {
      log.info("SQL trace {}", on ? "ON" : "OFF");
    }
    enabled = on;
  }

  /** Runs {@code statement}, logging it if the trace is on. */
  public <R extends SqlResult<?>> Future<R> run(String sql, Tuple parameters, Supplier<Future<R>> statement) {
    if (!enabled) {
      return statement.get();
    }
    long start = System.nanoTime();
    return statement.get().andThen(result -> {
      double ms = (System.nanoTime() - start) / 1e6;
      String oneLine = sql.replaceAll("\\s+", " ").trim();
      String params = showParameters ? parameters.deepToString() : redacted(parameters);
      if (result.succeeded()) {
        log.info("SQL {} ms, {} rows: {} {}", String.format("%.2f", ms), result.result().size(), oneLine, params);
      } else {
        log.info("SQL {} ms, failed ({}): {} {}", String.format("%.2f", ms), result.cause().toString(), oneLine, params);
      }
    });
  }

  private static String redacted(Tuple parameters) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < parameters.size(); i++) {
      out.append(i == 0 ? "" : ", ").append('$').append(i + 1).append("=<redacted>");
    }
    return out.append(']').toString();
  }
}
