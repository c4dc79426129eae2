package org.tenantfeatures.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tenantfeatures.config.AppConfig;

/**
 * A clustered Vert.x: Hazelcast from {@code cluster.configFile} (loopback TCP join by default),
 * with the cluster name, host, port and members of the service's configuration, and the event
 * bus on the same host, over mutual TLS.
 */
public final class ClusterSetup {

  private ClusterSetup() {
  }

  public static Future<Vertx> clusteredVertx(VertxOptions options, AppConfig.Cluster cluster) {
    options.setEventBusOptions(eventBus(cluster));
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast(cluster))).buildClustered();
  }

  /**
   * The event bus between nodes: on the cluster host, and mutual TLS unless the configuration
   * says insecure (loopback only, checked at start-up). Both ends present a certificate of the
   * cluster's CA and require one of the other ({@code ClientAuth.REQUIRED}): a Vert.x that joins
   * Hazelcast without one can neither send to this node nor be sent to by it.
   */
  static EventBusOptions eventBus(AppConfig.Cluster cluster) {
    EventBusOptions options = new EventBusOptions().setHost(cluster.host()).setPort(cluster.eventBusPort());
    if (cluster.insecure()) {
      return options;
    }
    AppConfig.Tls tls = cluster.tls();
    // PfxOptions, not KeyStoreOptions: the clustered event bus builds its server and client from
    // the options' JSON form, which carries PKCS#12 stores as PfxOptions only (a KeyStoreOptions
    // is dropped on the way, and start-up fails with "Key/certificate is mandatory for SSL").
    return options.setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PfxOptions().setPath(tls.keyStore()).setPassword(tls.keyStorePassword()))
        .setTrustOptions(new PfxOptions().setPath(tls.trustStore()).setPassword(tls.trustStorePassword()));
  }

  static Config hazelcast(AppConfig.Cluster cluster) {
    Config config;
    try (InputStream xml = open(cluster.configFile())) {
      config = new XmlConfigBuilder(xml).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + cluster.configFile(), e);
    }
    config.setClusterName(cluster.name());
    config.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(true);
    config.getNetworkConfig().getInterfaces().setEnabled(true).clear().addInterface(cluster.host());
    var tcp = config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).clear();
    cluster.members().forEach(tcp::addMember);
    return config;
  }

  private static InputStream open(String location) throws IOException {
    Path file = Path.of(location);
    if (Files.isRegularFile(file)) {
      return Files.newInputStream(file);
    }
    InputStream resource = ClusterSetup.class.getClassLoader().getResourceAsStream(location);
    if (resource == null) {
      throw new IOException("no file or classpath resource " + location);
    }
    return resource;
  }
}
