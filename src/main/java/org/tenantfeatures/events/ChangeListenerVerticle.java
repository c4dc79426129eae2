package org.tenantfeatures.events;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.client.ChangeEvent;
import org.tenantfeatures.client.ChangeEvent.Source;
import org.tenantfeatures.client.ChangeListenerState;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.db.pool.PoolFactory;

/**
 * Turns the database's {@code NOTIFY tenant_features_changed} (sent by triggers on commit, for
 * changes made through the service and by hand in SQL alike) into {@code features.changed}
 * events. While the listening connection is down, notifications are lost: it says so at once
 * ({@link ChangeListenerState}, so that caches stop trusting themselves), and on every
 * (re)connection it says it listens again and announces a change of every tenant: caches drop
 * everything once. LISTEN needs a session of its own: behind a transaction-pooling proxy it
 * hears nothing.
 *
 * <p>It reconnects by itself rather than through the subscriber's reconnect policy: with that
 * policy the subscriber tells nobody that its connection was lost.
 */
public class ChangeListenerVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ChangeListenerVerticle.class);
  static final String CHANNEL = "tenant_features_changed";
  private static final long RECONNECT_DELAY_MS = 1_000;
  private static final long FIRST_LISTEN_TIMEOUT_MS = 10_000;

  private final AppConfig.Db db;
  private final String id = UUID.randomUUID().toString();
  private PgSubscriber subscriber;
  private volatile boolean listening;
  private boolean stopping;
  private final Promise<Void> firstListen = Promise.promise();

  public ChangeListenerVerticle(AppConfig.Db db) {
    this.db = db;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(ChangeListenerState.HEARTBEAT_MS, tick -> heartbeat());
    // Started once it listens: the node's cache trusts itself from then on.
    return connect().compose(v -> firstListen.future().timeout(FIRST_LISTEN_TIMEOUT_MS, TimeUnit.MILLISECONDS));
  }

  /**
   * Says it still listens, once its connection has answered a query: a connection cut without a
   * word (a network partition) would otherwise look alive for as long as TCP takes to notice, and
   * the changes it misses meanwhile would go unannounced. One that does not answer is closed,
   * which counts as lost.
   */
  private void heartbeat() {
    if (!listening) {
      return;
    }
    PgConnection connection = subscriber.actualConnection();
    connection.query("SELECT 1").execute()
        .timeout(ChangeListenerState.HEARTBEAT_MS / 2, TimeUnit.MILLISECONDS)
        .onSuccess(answered -> {
          if (listening && subscriber.actualConnection() == connection) {
            announce(true);
          }
        })
        .onFailure(silent -> {
          log.warn("Change listener connection does not answer ({}); closing it", silent.getMessage());
          connection.close();
        });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (listening) {
      announce(false);
    }
    return subscriber.close();
  }

  /** Listening or not, and says so to every node's caches. */
  private void announce(boolean nowListening) {
    listening = nowListening;
    new ChangeListenerState(id, nowListening).publish(vertx);
  }

  /** What it would say now: for a consumer deployed after its first word. */
  public ChangeListenerState state() {
    return new ChangeListenerState(id, listening);
  }

  /** A new subscriber on a new connection (a closed one has forgotten its channels). */
  private Future<Void> connect() {
    // Its own application_name, so that it is not counted as one of the pool's connections.
    PgConnectOptions options = PoolFactory.connectOptions(db);
    options.addProperty("application_name", db.applicationName() + "-listener");
    PgSubscriber next = PgSubscriber.subscriber(vertx, options);
    next.channel(CHANNEL)
        .subscribeHandler(v -> {
          log.info("Listening for database changes on '{}'", CHANNEL);
          announce(true);
          ChangeEvent.ofAllTenants(null, Source.DATABASE_RECONNECT).publish(vertx);
          firstListen.tryComplete();
        })
        .handler(this::onNotification);
    next.closeHandler(v -> {
      if (stopping) {
        return;
      }
      log.warn("Change listener connection lost; changes go unheard until it is back (in {} ms)", RECONNECT_DELAY_MS);
      announce(false);
      reconnectLater();
    });
    subscriber = next;
    return next.connect();
  }

  private void reconnectLater() {
    vertx.setTimer(RECONNECT_DELAY_MS, t -> {
      if (!stopping) {
        connect().onFailure(failed -> {
          log.warn("Change listener cannot connect: {}", failed.getMessage());
          reconnectLater();
        });
      }
    });
  }

  private void onNotification(String payload) {
    try {
      JsonObject change = new JsonObject(payload);
      if (change.getString(Fields.TENANT_ID) == null && change.getBoolean(Fields.CATALOGUE, false)) {
        ChangeEvent.ofCatalogue(change.getString(Fields.FLAG), Source.DATABASE).publish(vertx);
        return;
      }
      ChangeEvent.ofTenant(change.getString(Fields.TENANT_ID), change.getString(Fields.FLAG), change.getLong(Fields.REVISION),
          Source.DATABASE).publish(vertx);
    } catch (RuntimeException malformed) {
      // Not ours (someone else NOTIFYing on the channel): drop everything to be safe.
      log.warn("Unreadable change notification: {}", payload);
      ChangeEvent.ofAllTenants(null, Source.DATABASE).publish(vertx);
    }
  }
}
