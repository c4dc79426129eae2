package org.tenantfeatures.client;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.tenantfeatures.client.FeatureBus.Fields;

/**
 * A change listener's state, as published on {@link FeatureBus#CHANGE_LISTENERS}: {@code listening}
 * true from the moment its LISTEN is active (and again every {@link #HEARTBEAT_MS}), false when its
 * connection is lost or it stops. A listener not heard for {@link #SILENT_AFTER_MS} is gone (its
 * node crashed, or the cluster lost it). Whoever caches maps trusts them only while at least one
 * listener is heard: every listener hears every committed change, so one is enough.
 */
public record ChangeListenerState(String listener, boolean listening) {

  /** How often a listening listener says so. */
  public static final long HEARTBEAT_MS = 1_000;
  /** How long after its last word a listener counts as gone: three heartbeats. */
  public static final long SILENT_AFTER_MS = 3 * HEARTBEAT_MS;

  public JsonObject toJson() {
    return new JsonObject().put(Fields.LISTENER, listener).put(Fields.LISTENING, listening);
  }

  public static ChangeListenerState fromJson(JsonObject json) {
    return new ChangeListenerState(json.getString(Fields.LISTENER), json.getBoolean(Fields.LISTENING, false));
  }

  /** To every consumer on every node, this node's own first ({@link FeatureBus#publishEverywhere}). */
  public void publish(Vertx vertx) {
    FeatureBus.publishEverywhere(vertx, FeatureBus.CHANGE_LISTENERS, toJson());
  }

  /** Calls {@code handler} with every listener's state heard anywhere in the cluster. */
  public static MessageConsumer<JsonObject> subscribe(Vertx vertx, Consumer<ChangeListenerState> handler) {
    return vertx.eventBus().consumer(FeatureBus.CHANGE_LISTENERS, message -> handler.accept(fromJson(message.body())));
  }
}
