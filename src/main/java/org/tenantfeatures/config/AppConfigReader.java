package org.tenantfeatures.config;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tenantfeatures.config.AppConfig.Breaker;
import org.tenantfeatures.config.AppConfig.Cache;
import org.tenantfeatures.config.AppConfig.Cluster;
import org.tenantfeatures.config.AppConfig.CrossOrigins;
import org.tenantfeatures.config.AppConfig.Db;
import org.tenantfeatures.config.AppConfig.Embedded;
import org.tenantfeatures.config.AppConfig.Http;
import org.tenantfeatures.config.AppConfig.Limits;
import org.tenantfeatures.config.AppConfig.Pool;
import org.tenantfeatures.config.AppConfig.Retry;
import org.tenantfeatures.config.AppConfig.Streams;
import org.tenantfeatures.config.AppConfig.Tls;

/** Builds {@link AppConfig} from the merged JSON: every key's type and range, checked once, each failure naming its key. */
final class AppConfigReader {

  private AppConfigReader() {
  }

  private static final int HOUR_MS = 3_600_000;
  private static final int DAY_MS = 24 * HOUR_MS;

  /**
   * {@code http.instances}, 0 meaning half the cores, at least one: the other half is left to the
   * database verticle's event loop, the JIT, the GC and, on a small machine, PostgreSQL: on two
   * cores, a second HTTP loop bought a little throughput for a much worse p99 (docs/BENCHMARKS.md,
   * "Figures behind the code").
   */
  private static int instances(int configured) {
    return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  static AppConfig read(JsonObject json) {
    ConfigReader r = new ConfigReader(json);
    Http http = new Http(
        r.nonBlank("http.host"),
        r.intIn("http.port", 1, 65535),
        instances(r.intIn("http.instances", 0, 64)),
        r.intIn("http.requestTimeoutMs", 50, 600_000),
        r.intIn("http.drainMs", 0, 600_000),
        r.intIn("http.shutdownTimeoutMs", 0, 600_000),
        r.intIn("http.readyTimeoutMs", 10, 60_000),
        r.bool("http.metrics"),
        r.bool("http.metricsHistograms"),
        new Limits(
            r.intIn("http.idleTimeoutMs", 100, HOUR_MS),
            r.intIn("http.headerTimeoutMs", 100, HOUR_MS),
            r.intIn("http.maxConnections", 1, 1_000_000),
            r.bool("http.h2c")),
        new Streams(
            r.intIn("http.streamHeartbeatMs", 100, HOUR_MS),
            r.intIn("http.maxStreamsPerToken", 1, 1_000_000),
            r.intIn("http.streamTicketTtlSeconds", 1, 86_400),
            r.intIn("http.streamWriteQueueBytes", 1024, 64 * 1024 * 1024)),
        r.intIn("http.warmUpMs", 0, 600_000));
    Db db = new Db(
        databaseUri(r),
        r.nonBlank("db.applicationName"),
        r.intIn("db.statementTimeoutMs", 1, http.requestTimeoutMs()),
        r.bool("db.cachePreparedStatements"),
        r.intIn("db.pipeliningLimit", 1, 65536),
        r.bool("db.useLayer7Proxy"),
        r.bool("db.traceSql"),
        r.bool("db.traceSqlParameters"),
        r.bool("db.listenForChanges"),
        new Pool(
            r.intIn("db.pool.maxSize", 1, 1000),
            r.intIn("db.pool.writeMaxSize", 1, 1000),
            r.intIn("db.pool.maxWaitQueueSize", -1, 1_000_000),
            r.intIn("db.pool.connectionTimeoutMs", 1, http.requestTimeoutMs()),
            r.intIn("db.pool.idleTimeoutMs", 0, DAY_MS),
            r.intIn("db.pool.maxLifetimeMs", 0, DAY_MS),
            r.intIn("db.pool.eventLoops", 0, 256)),
        new Breaker(
            r.intIn("db.breaker.maxFailures", 1, 10_000),
            r.intIn("db.breaker.resetTimeoutMs", 10, HOUR_MS)),
        new Retry(
            r.intIn("db.retry.maxRetries", 0, 10),
            r.intIn("db.retry.initialBackoffMs", 1, http.requestTimeoutMs()),
            r.intIn("db.retry.maxBackoffMs", 1, http.requestTimeoutMs())));
    if (db.retry().maxBackoffMs() < db.retry().initialBackoffMs()) {
      throw ConfigReader.invalid("db.retry.maxBackoffMs", db.retry().maxBackoffMs(),
          "a value not below db.retry.initialBackoffMs (" + db.retry().initialBackoffMs() + ")");
    }
    Embedded embedded = new Embedded(r.nonBlank("embedded.dataDirectory"), r.intIn("embedded.port", 0, 65535));
    Cache cache = new Cache(r.intIn("cache.ttlMs", 0, DAY_MS), r.intIn("cache.maxTenants", 1, 100_000_000),
        r.intIn("cache.staleIfErrorMs", 0, DAY_MS), r.intIn("cache.ttlWithoutListenerMs", 0, DAY_MS));
    String logFormat = r.string("log.format");
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw ConfigReader.invalid("log.format", logFormat, "text or json");
    }
    List<String> members = new ArrayList<>();
    for (Object member : r.array("cluster.members")) {
      members.add(String.valueOf(member));
    }
    Cluster cluster = ClusterSecurity.check(new Cluster(r.bool("cluster.enabled"), r.nonBlank("cluster.name"), r.nonBlank("cluster.host"),
        r.intIn("cluster.port", 1, 65535), List.copyOf(members), r.nonBlank("cluster.configFile"), r.bool("cluster.database"),
        r.intIn("cluster.eventBusPort", 0, 65535), r.bool("cluster.insecure"),
        new Tls(r.string("cluster.tls.keyStore"), r.string("cluster.tls.keyStorePassword"), r.string("cluster.tls.trustStore"),
            r.string("cluster.tls.trustStorePassword"))));
    CrossOrigins crossOrigins = new CrossOrigins(origins(r), r.intIn("auth.cors.maxAgeSeconds", 0, 86_400));
    return new AppConfig(http, TokenGrants.read(r), crossOrigins, db, embedded, cache, r.bool("demo.load"), logFormat.equals("json"),
        cluster);
  }

  /**
   * {@code auth.cors.allowedOrigins}, each as {@code scheme://host[:port]} in lower case (the form
   * browsers send in {@code Origin}). A wildcard, {@code null} (what sandboxed pages and files
   * send), a path, a query or user information stop start-up: an allow-list means named sites.
   */
  private static List<String> origins(ConfigReader r) {
    List<String> origins = new ArrayList<>();
    for (Object entry : r.array("auth.cors.allowedOrigins")) {
      String text = String.valueOf(entry);
      URI uri;
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        throw ConfigReader.invalid("auth.cors.allowedOrigins", text, "an origin such as https://app.example.com");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null && uri.getRawFragment() == null
          && uri.getRawUserInfo() == null;
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) {
        throw ConfigReader.invalid("auth.cors.allowedOrigins", text,
            "an origin such as https://app.example.com (http or https, a host, an optional port, nothing after it; no wildcard)");
      }
      origins.add(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
    }
    return List.copyOf(origins);
  }

  /**
   * {@code db.uri}, checked here so that a malformed one stops start-up with a message that does
   * not repeat it: it may carry a password.
   */
  private static String databaseUri(ConfigReader r) {
    String uri = r.string("db.uri").trim();
    if (!uri.isEmpty()) {
      try {
        PgConnectOptions.fromUri(uri);
      } catch (RuntimeException e) {
        throw new ConfigException("Invalid configuration 'db.uri': expected a URI such as "
            + "postgresql://user:password@host:5432/database (the value is not shown: it may hold a password)");
      }
    }
    return uri;
  }
}
