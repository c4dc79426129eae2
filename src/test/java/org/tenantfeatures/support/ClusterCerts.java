package org.tenantfeatures.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for clustered tests, made by {@code scripts/make-certs.sh} (so that the script is
 * tested too) into a directory of this JVM's own under {@code target/}: the cluster's CA with a
 * node certificate, and, for intruders, a second CA with one of its own.
 */
public record ClusterCerts(Path cluster, Path foreign) {

  public static final String PASSWORD = "test-cluster-secret";

  private static ClusterCerts shared;

  /** Made once per test JVM. */
  public static synchronized ClusterCerts shared() {
    if (shared == null) {
      Path base = Path.of("target", "test-certs-" + UUID.randomUUID());
      shared = new ClusterCerts(make(base.resolve("cluster"), "node"), make(base.resolve("foreign"), "intruder"));
    }
    return shared;
  }

  /** {@code config} as node {@code node} of {@code testCluster}, the event bus with the cluster's certificate. */
  public TestConfig member(TestConfig config, TestCluster testCluster, int node) {
    return joining(testCluster.join(config, node), cluster.resolve("node.p12"), cluster.resolve("truststore.p12"));
  }

  /** As {@link #member}, but with a certificate of another CA, which trusts only that CA. */
  public TestConfig intruder(TestConfig config, TestCluster testCluster, int node) {
    return joining(testCluster.join(config, node), foreign.resolve("intruder.p12"), foreign.resolve("truststore.p12"));
  }

  /** As {@link #member}, but with no TLS at all (allowed on loopback only). */
  public static TestConfig insecure(TestConfig config, TestCluster testCluster, int node) {
    return testCluster.join(config, node).with("cluster.insecure", true);
  }

  /** The environment variables that make a child-JVM node a member. */
  public Map<String, String> memberEnvironment() {
    return Map.of("TF_CLUSTER_TLS_KEY_STORE", cluster.resolve("node.p12").toString(), "TF_CLUSTER_TLS_KEY_STORE_PASSWORD", PASSWORD,
        "TF_CLUSTER_TLS_TRUST_STORE", cluster.resolve("truststore.p12").toString(), "TF_CLUSTER_TLS_TRUST_STORE_PASSWORD", PASSWORD);
  }

  private static TestConfig joining(TestConfig config, Path keyStore, Path trustStore) {
    return config
        .with("cluster.tls.keyStore", keyStore.toString())
        .with("cluster.tls.keyStorePassword", PASSWORD)
        .with("cluster.tls.trustStore", trustStore.toString())
        .with("cluster.tls.trustStorePassword", PASSWORD);
  }

  private static Path make(Path dir, String node) {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/make-certs.sh", dir.toString(), node));
    try {
      Files.createDirectories(dir);
      File log = dir.resolve("make-certs.log").toFile();
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
      builder.environment().put("TF_CERT_PASSWORD", PASSWORD);
      builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
      Process process = builder.start();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("scripts/make-certs.sh failed; see " + log + ":\n" + Files.readString(log.toPath()));
      }
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run scripts/make-certs.sh", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
