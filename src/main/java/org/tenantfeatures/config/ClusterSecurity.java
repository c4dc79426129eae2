package org.tenantfeatures.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tenantfeatures.config.AppConfig.Cluster;

/**
 * The start-up rule for a clustered node: without mutual TLS on the event bus, anyone who can
 * reach its ports is a member and may send writes as any actor. So a clustered node needs a key
 * store and a trust store, or {@code cluster.insecure=true}, which is refused unless the node
 * listens on loopback only (development on one machine).
 */
final class ClusterSecurity {

  private ClusterSecurity() {
  }

  static Cluster check(Cluster cluster) {
    if (!cluster.enabled()) {
      return cluster;
    }
    AppConfig.Tls tls = cluster.tls();
    if (cluster.insecure()) {
      if (tls.configured()) {
        throw new ConfigException("Invalid configuration 'cluster.insecure': true turns off the TLS that cluster.tls.keyStore "
            + "configures; set one or the other");
      }
      if (!loopback(cluster.host())) {
        throw ConfigReader.invalid("cluster.insecure", true, "false for a node on '" + cluster.host()
            + "': an event bus without TLS is for loopback development only (configure cluster.tls)");
      }
      return cluster;
    }
    if (!tls.configured() || tls.trustStore().isEmpty()) {
      throw new ConfigException("Invalid configuration 'cluster.tls': a clustered node needs cluster.tls.keyStore and "
          + "cluster.tls.trustStore (scripts/make-certs.sh makes them), or cluster.insecure=true on loopback for development");
    }
    for (String[] store : new String[][] {{"cluster.tls.keyStore", tls.keyStore()}, {"cluster.tls.trustStore", tls.trustStore()}}) {
      if (!Files.isReadable(Path.of(store[1]))) {
        throw ConfigReader.invalid(store[0], store[1], "a readable PKCS#12 file");
      }
    }
    return cluster;
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
