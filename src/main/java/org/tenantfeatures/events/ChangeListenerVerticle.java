package org.tenantfeatures.events;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.client.ChangeEvent;
import org.tenantfeatures.client.ChangeEvent.Source;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.db.PoolFactory;

/**
 * Turns the database's {@code NOTIFY tenant_features_changed} (sent by triggers on commit, for
 * changes made through the service and by hand in SQL alike) into {@code features.changed}
 * events. While the listening connection is down, notifications are lost, so on every
 * (re)connection it announces a change of every tenant: caches drop everything once.
 * LISTEN needs a session of its own: behind a transaction-pooling proxy it hears nothing.
 */
public class ChangeListenerVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ChangeListenerVerticle.class);
  static final String CHANNEL = "tenant_features_changed";
  private static final long RECONNECT_DELAY_MS = 1_000;

  private final AppConfig.Db db;
  private PgSubscriber subscriber;

  public ChangeListenerVerticle(AppConfig.Db db) {
    this.db = db;
  }

  @Override
  public Future<?> start() {
    // Its own application_name, so that it is not counted as one of the pool's connections.
    PgConnectOptions options = PoolFactory.connectOptions(db);
    options.addProperty("application_name", db.applicationName() + "-listener");
    subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> RECONNECT_DELAY_MS);
    subscriber.channel(CHANNEL)
        .subscribeHandler(v -> {
          log.info("Listening for database changes on '{}'", CHANNEL);
          ChangeEvent.ofAllTenants(null, Source.DATABASE_RECONNECT).publish(vertx);
        })
        .handler(this::onNotification);
    subscriber.closeHandler(v -> log.warn("Change listener connection closed; reconnecting"));
    return subscriber.connect();
  }

  @Override
  public Future<?> stop() {
    return subscriber.close();
  }

  private void onNotification(String payload) {
    try {
      JsonObject change = new JsonObject(payload);
      ChangeEvent.ofTenant(change.getString(Fields.TENANT_ID), change.getString(Fields.FLAG), change.getLong(Fields.REVISION),
          Source.DATABASE).publish(vertx);
    } catch (RuntimeException malformed) {
      // Not ours (someone else NOTIFYing on the channel): drop everything to be safe.
      log.warn("Unreadable change notification: {}", payload);
      ChangeEvent.ofAllTenants(null, Source.DATABASE).publish(vertx);
    }
  }
}
