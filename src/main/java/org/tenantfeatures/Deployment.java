package org.tenantfeatures;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.cache.TenantMapCache;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.db.DatabaseVerticle;
import org.tenantfeatures.db.DemoData;
import org.tenantfeatures.db.Migrations;
import org.tenantfeatures.db.PoolFactory;
import org.tenantfeatures.http.HttpVerticle;

/**
 * Brings the service up on a Vert.x instance against a configured database, in order: schema,
 * demo data (dev only), database verticle, HTTP verticles. The HTTP side is deployed last so
 * that it never answers before something can serve it.
 */
public final class Deployment {

  private static final Logger log = LoggerFactory.getLogger(Deployment.class);

  private Deployment() {
  }

  public static Future<Void> deploy(Vertx vertx, AppConfig config) {
    if (!config.db().configured()) {
      return Future.failedFuture(new IllegalStateException("db.uri is empty: start an embedded database first"));
    }
    PgConnectOptions target = PoolFactory.connectOptions(config.db());
    TenantMapCache cache = TenantMapCache.create(config.cache());
    return vertx.executeBlocking(() -> {
          var result = Migrations.apply(target);
          log.info("Schema at version {} ({} migrations applied now)", result.targetSchemaVersion, result.migrationsExecuted);
          if (config.loadDemoData()) {
            DemoData.load(target);
            log.info("Demo data loaded (demo.load=true)");
          }
          return null;
        })
        .compose(v -> vertx.deployVerticle(new DatabaseVerticle(config.db(), config.http().requestTimeoutMs())))
        .compose(v -> vertx.deployVerticle(() -> new HttpVerticle(config, cache),
            new DeploymentOptions().setInstances(config.http().instances()).setThreadingModel(ThreadingModel.EVENT_LOOP)))
        .mapEmpty();
  }
}
