package org.tenantfeatures.boot;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.cluster.ClusterSetup;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.config.ConfigException;
import org.tenantfeatures.config.ConfigLoader;
import org.tenantfeatures.http.Routes;
import org.tenantfeatures.telemetry.LogFormat;
import org.tenantfeatures.telemetry.MetricsSetup;

/**
 * Entry point: configuration → embedded database if none is configured → deploy; on SIGTERM,
 * the graceful stop of {@link Deployment#shutdown()}, then the embedded database.
 */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    AppConfig loaded;
    try {
      loaded = ConfigLoader.loadBlocking();
    } catch (ConfigException e) {
      log.error("Invalid configuration: {}", e.getMessage());
      System.exit(1);
      return;
    }
    if (loaded.jsonLogs()) {
      LogFormat.json();
    }
    Vertx vertx;
    try {
      vertx = loaded.cluster().enabled()
          ? ClusterSetup.clusteredVertx(MetricsSetup.vertxOptions(loaded), loaded.cluster()).await(60, TimeUnit.SECONDS)
          : Vertx.vertx(MetricsSetup.vertxOptions(loaded));
    } catch (Exception e) {
      log.error("Cannot join the cluster '{}': {}", loaded.cluster().name(), e.toString());
      System.exit(1);
      return;
    }
    Running running = new Running();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> running.stop(vertx, loaded), "tenant-features-shutdown"));

    withDatabase(vertx, loaded, running)
        .compose(config -> Deployment.deploy(vertx, config).map(deployment -> {
          running.deployment = deployment;
          return config;
        }))
        .onSuccess(Main::announce)
        .onFailure(failure -> {
          log.error("Start-up failed: {}", failure.getMessage(), failure);
          // Not on this event loop: the shutdown hook closes Vert.x and waits for its event
          // loops, so exiting from one of them hung the process instead of ending it.
          new Thread(() -> System.exit(1), "tenant-features-exit").start();
        });
  }

  private static Future<AppConfig> withDatabase(Vertx vertx, AppConfig config, Running running) {
    if (!config.cluster().database()) {
      log.info("HTTP-only node (cluster.database=false): the database verticles of other nodes answer");
      return Future.succeededFuture(config);
    }
    if (config.db().configured()) {
      log.info("Using the configured database (db.uri)");
      return Future.succeededFuture(config);
    }
    log.info("No db.uri configured: starting an embedded PostgreSQL in {}", config.embedded().dataDirectory());
    return vertx.executeBlocking(() -> {
      running.embedded = EmbeddedDatabase.start(config.embedded());
      return running.embedded.uri();
    }).map(config::withDatabaseUri);
  }

  private static void announce(AppConfig config) {
    String base = "http://localhost:" + config.http().port();
    log.info("tenant-features listening on {}:{}", config.http().host(), config.http().port());
    if (config.tokens().isEmpty()) {
      log.warn("No tokens configured (auth.tokens): every request will get 401");
    }
    String example = config.loadDemoData()
        ? "curl -s '" + base + Routes.FEATURES + "' -H 'Authorization: Bearer scraper_sky_2024' -H 'X-Tenant-ID: "
            + DemoData.INCIDENT_TENANT + "'"
        : "curl -s '" + base + Routes.FEATURES + "' -H 'Authorization: Bearer <token>' -H 'X-Tenant-ID: <tenant uuid>'";
    System.out.println("Ready. Try:\n  " + example + "\nor open the console: " + base + "/console/");
  }

  /** What is up, for the shutdown hook to take down in order. */
  private static final class Running {
    volatile Deployment deployment;
    volatile EmbeddedDatabase embedded;

    void stop(Vertx vertx, AppConfig config) {
      try {
        if (deployment != null) {
          long limit = config.http().drainMs() + config.http().shutdownTimeoutMs() + 5_000L;
          deployment.shutdown().await(limit, TimeUnit.MILLISECONDS);
        }
      } catch (Exception e) {
        log.warn("Graceful stop did not finish: {}", e.toString());
      }
      vertx.close().await();
      if (embedded != null) {
        try {
          embedded.close();
        } catch (IOException e) {
          log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
      }
    }
  }
}
