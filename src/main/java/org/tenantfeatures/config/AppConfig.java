package org.tenantfeatures.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * The validated configuration. Built once at start from the merged JSON; every invalid value
 * stops start-up with a {@link ConfigException} naming its key. The keys, their defaults and
 * their meaning are in {@code conf/config.json} and the README's configuration table.
 */
public record AppConfig(Http http, List<TokenGrant> tokens, CrossOrigins crossOrigins, Db db, Embedded embedded, Cache cache,
                        boolean loadDemoData, boolean jsonLogs, Cluster cluster) {

  /**
   * Browsers on other origins that may call the API ({@code auth.cors}): each origin as
   * {@code scheme://host[:port]}, lower case, never a wildcard; preflights are remembered
   * {@code maxAgeSeconds}. Credentials (cookies) are never allowed across origins: a page on another
   * origin sends its token in {@code Authorization}, as the OFREP web provider does.
   */
  public record CrossOrigins(List<String> allowedOrigins, int maxAgeSeconds) {
  }

  /**
   * Clustering (Hazelcast): off by default. {@code database} false makes an HTTP-only node,
   * which reaches the database verticles of other nodes over the clustered event bus. The event
   * bus between nodes is mutual TLS ({@code tls}) unless {@code insecure}, which only a node on
   * loopback may be.
   */
  public record Cluster(boolean enabled, String name, String host, int port, List<String> members, String configFile,
                        boolean database, int eventBusPort, boolean insecure, Tls tls) {
  }

  /**
   * The node's key and certificate chain ({@code keyStore}, PKCS#12) and the cluster's CA
   * ({@code trustStore}, PKCS#12): a peer without a certificate of that CA can neither deliver
   * nor receive an event-bus message. {@code scripts/make-certs.sh} makes both.
   */
  public record Tls(String keyStore, String keyStorePassword, String trustStore, String trustStorePassword) {

    public boolean configured() {
      return !keyStore.isEmpty();
    }
  }

  /**
   * {@code drainMs}: how long a stopping node reports not-ready while it goes on serving;
   * {@code shutdownTimeoutMs}: how long it then waits for requests in flight;
   * {@code warmUpMs}: how long a starting node reads through its own HTTP side on loopback before
   * it opens its port (0: it opens cold).
   */
  public record Http(String host, int port, int instances, int requestTimeoutMs, int drainMs, int shutdownTimeoutMs,
                     int readyTimeoutMs, boolean metrics, boolean metricsHistograms, Limits limits, Streams streams,
                     int warmUpMs) {

    /** One listener on a free loopback port, without request metrics: the warm-up's, which no client sees. */
    Http forWarmUp() {
      return new Http("127.0.0.1", 0, 1, requestTimeoutMs, 0, shutdownTimeoutMs, readyTimeoutMs, false, false, limits,
          streams, 0);
    }
  }

  /**
   * The OFREP change streams (server-sent events): a comment every {@code heartbeatMs} so that no
   * proxy cuts an idle stream (HAProxy's client timeout here is 15 s), at most
   * {@code maxPerToken} open streams per token on a node, and the stream URL's own credential
   * valid for connecting {@code ticketTtlSeconds} after the bulk answer that gave it. A stream
   * whose client does not read is closed once {@code writeQueueBytes} wait to be sent in the
   * server (the kernel's send buffer for it is that size too), so that it holds no more memory.
   */
  public record Streams(int heartbeatMs, int maxPerToken, int ticketTtlSeconds, int writeQueueBytes) {
  }

  /**
   * What one client may hold of a node, whatever it sends: a connection with no traffic is closed
   * after {@code idleTimeoutMs}; a request whose headers are not complete {@code headerTimeoutMs}
   * after their first byte is closed, however slowly bytes trickle in; a node keeps at most
   * {@code maxConnections} open and closes any beyond at once. {@code h2c}: cleartext HTTP/2
   * (prior knowledge or {@code Upgrade: h2c}); off, so that every request passes the HTTP/1.1
   * framing checks.
   */
  public record Limits(int idleTimeoutMs, int headerTimeoutMs, int maxConnections, boolean h2c) {
  }

  /**
   * A bearer token, the tenants it may reach (a set of canonical ids, or all of them) and what
   * it may do there: {@code read} (the default), {@code write}, {@code admin} (diagnostics).
   */
  public record TokenGrant(String name, String token, boolean allTenants, Set<String> tenants, Set<String> permissions) {

    public static final Set<String> PERMISSIONS = Set.of("read", "write", "admin");

    /** A read-only grant. */
    public TokenGrant(String name, String token, boolean allTenants, Set<String> tenants) {
      this(name, token, allTenants, tenants, Set.of("read"));
    }

    public boolean allows(String tenantId) {
      return allTenants || tenants.contains(tenantId);
    }

    public boolean may(String permission) {
      return permissions.contains(permission);
    }
  }

  /**
   * {@code maxSize}: connections for reads, each carrying up to {@code db.pipeliningLimit} of them at
   * once; {@code writeMaxSize}: connections for write transactions and the node's own checks;
   * {@code eventLoops}: how many event loops the connections are spread over (0: the database
   * verticle's own).
   */
  public record Pool(int maxSize, int writeMaxSize, int maxWaitQueueSize, int connectionTimeoutMs, int idleTimeoutMs,
                     int maxLifetimeMs, int eventLoops) {
  }

  public record Breaker(int maxFailures, int resetTimeoutMs) {
  }

  public record Retry(int maxRetries, int initialBackoffMs, int maxBackoffMs) {
  }

  /** {@code uri} is empty when no database is configured: then an embedded one is started. */
  public record Db(String uri, String applicationName, int statementTimeoutMs, boolean cachePreparedStatements,
                   int pipeliningLimit, boolean useLayer7Proxy, boolean traceSql, boolean traceSqlParameters,
                   boolean listenForChanges, Pool pool, Breaker breaker, Retry retry) {
    public boolean configured() {
      return !uri.isBlank();
    }

    public Db withUri(String newUri) {
      return new Db(newUri, applicationName, statementTimeoutMs, cachePreparedStatements, pipeliningLimit,
          useLayer7Proxy, traceSql, traceSqlParameters, listenForChanges, pool, breaker, retry);
    }
  }

  public record Embedded(String dataDirectory, int port) {
  }

  /**
   * {@code ttlMs}: how long a map stays cached while this node hears a change listener (changes drop it sooner), 0 no
   * cache at all; {@code ttlWithoutListenerMs}: the same while it hears none (0: every read goes to the database);
   * {@code staleIfErrorMs} 0 (the default) never serves a map after a failed read.
   */
  public record Cache(int ttlMs, int maxTenants, int staleIfErrorMs, int ttlWithoutListenerMs) {
    public boolean enabled() {
      return ttlMs > 0;
    }

    public boolean staleIfError() {
      return staleIfErrorMs > 0;
    }
  }

  /** The same configuration on another database (the embedded one, once started). */
  public AppConfig withDatabaseUri(String uri) {
    return new AppConfig(http, tokens, crossOrigins, db.withUri(uri), embedded, cache, loadDemoData, jsonLogs, cluster);
  }

  /**
   * The same configuration for the start-up warm-up ({@code http.warmUpMs}): one loopback
   * listener on a free port, and {@code grant} as its only token.
   */
  public AppConfig forWarmUp(TokenGrant grant) {
    return new AppConfig(http.forWarmUp(), List.of(grant), crossOrigins, db, embedded, cache, loadDemoData, jsonLogs, cluster);
  }

  /** Reads and validates the merged JSON ({@link AppConfigReader}). */
  public static AppConfig from(JsonObject json) {
    return AppConfigReader.read(json);
  }
}
