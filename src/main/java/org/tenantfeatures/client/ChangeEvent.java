package org.tenantfeatures.client;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.tenantfeatures.client.FeatureBus.Fields;

/**
 * A committed change, as published on {@link FeatureBus#FEATURES_CHANGED} to every node:
 * {@code tenantId} null means every tenant's map changed; {@code catalogue} says it was the
 * catalogue alone (a flag added, renamed or removed, a targeting or a segment changed: the
 * tenants' own inputs did not), otherwise anything may have changed (a truncation, changes missed);
 * {@code revision} is null then, or when the source does not know it.
 * Consumers must be idempotent: one change may be announced more than once (by the writer and by
 * the database's notification, once per node that listens, and on the announcing node twice).
 */
public record ChangeEvent(String tenantId, String flag, Long revision, Source source, boolean catalogue) {

  /** Who announced it. */
  public enum Source {
    /** The service's own write, after its commit. */
    SERVICE("service"),
    /** A database notification: any committed change, also one made by hand in SQL. */
    DATABASE("database"),
    /** The listener (re)connected: changes may have been missed meanwhile. */
    DATABASE_RECONNECT("database-reconnect");

    private final String wire;

    Source(String wire) {
      this.wire = wire;
    }

    static Source of(String wire) {
      for (Source s : values()) {
        if (s.wire.equals(wire)) {
          return s;
        }
      }
      return DATABASE;
    }
  }

  /** One tenant's inputs changed (an override, its attributes). */
  public static ChangeEvent ofTenant(String tenantId, String flag, Long revision, Source source) {
    return new ChangeEvent(tenantId, flag, revision, source, false);
  }

  /** Every tenant's map may have changed, inputs and all ({@code flag} may be null). */
  public static ChangeEvent ofAllTenants(String flag, Source source) {
    return new ChangeEvent(null, flag, null, source, false);
  }

  /** The catalogue changed: every tenant's map may change, its own inputs did not ({@code flag} may be null). */
  public static ChangeEvent ofCatalogue(String flag, Source source) {
    return new ChangeEvent(null, flag, null, source, true);
  }

  public boolean allTenants() {
    return tenantId == null;
  }

  public JsonObject toJson() {
    return new JsonObject().put(Fields.TENANT_ID, tenantId).put(Fields.FLAG, flag).put(Fields.REVISION, revision)
        .put(Fields.SOURCE, source.wire).put(Fields.CATALOGUE, catalogue);
  }

  public static ChangeEvent fromJson(JsonObject json) {
    return new ChangeEvent(json.getString(Fields.TENANT_ID), json.getString(Fields.FLAG), json.getLong(Fields.REVISION),
        Source.of(json.getString(Fields.SOURCE)), json.getString(Fields.TENANT_ID) == null && json.getBoolean(Fields.CATALOGUE, false));
  }

  /** Publishes the event to every consumer on every node, this node's own first ({@link FeatureBus#publishEverywhere}). */
  public void publish(Vertx vertx) {
    FeatureBus.publishEverywhere(vertx, FeatureBus.FEATURES_CHANGED, toJson());
  }

  /** Calls {@code handler} with every change announced anywhere in the cluster; unregister the consumer to stop. */
  public static MessageConsumer<JsonObject> subscribe(Vertx vertx, Consumer<ChangeEvent> handler) {
    return vertx.eventBus().consumer(FeatureBus.FEATURES_CHANGED, message -> handler.accept(fromJson(message.body())));
  }
}
