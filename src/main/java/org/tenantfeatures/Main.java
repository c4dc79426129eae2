package org.tenantfeatures;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.config.ConfigLoader;
import org.tenantfeatures.db.DemoData;
import org.tenantfeatures.db.EmbeddedDatabase;
import org.tenantfeatures.http.HttpVerticle;

/** Entry point: configuration → embedded database if none is configured → deploy. */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    EmbeddedHolder embedded = new EmbeddedHolder();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close().await();
      embedded.close();
    }, "tenant-features-shutdown"));

    ConfigLoader.load(vertx)
        .compose(config -> withDatabase(vertx, config, embedded))
        .compose(config -> Deployment.deploy(vertx, config).map(config))
        .onSuccess(Main::announce)
        .onFailure(failure -> {
          log.error("Start-up failed: {}", failure.getMessage(), failure);
          System.exit(1);
        });
  }

  private static Future<AppConfig> withDatabase(Vertx vertx, AppConfig config, EmbeddedHolder embedded) {
    if (config.db().configured()) {
      log.info("Using the configured database (db.uri)");
      return Future.succeededFuture(config);
    }
    log.info("No db.uri configured: starting an embedded PostgreSQL in {}", config.embedded().dataDirectory());
    return vertx.executeBlocking(() -> embedded.start(config.embedded()))
        .map(uri -> new AppConfig(config.http(), config.tokens(), config.db().withUri(uri), config.embedded(),
            config.cache(), config.loadDemoData()));
  }

  private static void announce(AppConfig config) {
    String base = "http://localhost:" + config.http().port();
    log.info("tenant-features listening on {}:{}", config.http().host(), config.http().port());
    if (config.tokens().isEmpty()) {
      log.warn("No tokens configured (auth.tokens): every request will get 401");
    }
    String example = config.loadDemoData()
        ? "curl -s '" + base + HttpVerticle.FEATURES_PATH + "' -H 'Authorization: Bearer scraper_sky_2024' -H 'X-Tenant-ID: "
            + DemoData.INCIDENT_TENANT + "'"
        : "curl -s '" + base + HttpVerticle.FEATURES_PATH + "' -H 'Authorization: Bearer <token>' -H 'X-Tenant-ID: <tenant uuid>'";
    System.out.println("Ready. Try:\n  " + example);
  }

  /** The embedded server, if one was started, so the shutdown hook can stop it. */
  private static final class EmbeddedHolder {
    private volatile EmbeddedDatabase database;

    String start(AppConfig.Embedded config) throws java.io.IOException {
      database = EmbeddedDatabase.start(config);
      return database.uri();
    }

    void close() {
      try {
        if (database != null) {
          database.close();
        }
      } catch (java.io.IOException e) {
        log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
      }
    }
  }
}
