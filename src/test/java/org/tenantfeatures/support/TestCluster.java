package org.tenantfeatures.support;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A test cluster: a name of its own and a Hazelcast port for each node, every node told of all of
 * them. No node finds its port by Hazelcast's auto-increment, which could take the next port up,
 * one the test had handed to another node's HTTP listener (a node of LoadBalancerIT exited on
 * start so in a clean-clone run: free ports come in sequence).
 */
public record TestCluster(String name, List<Integer> ports) {

  public static TestCluster of(String prefix, int nodes) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      ports.add(TestConfig.freePort());
    }
    return new TestCluster(prefix + "-" + UUID.randomUUID(), List.copyOf(ports));
  }

  /** Every node's {@code 127.0.0.1:port}, as {@code cluster.members}. */
  public JsonArray members() {
    JsonArray members = new JsonArray();
    ports.forEach(port -> members.add("127.0.0.1:" + port));
    return members;
  }

  /** {@code config} as node {@code node} of this cluster (Hazelcast on loopback). */
  TestConfig join(TestConfig config, int node) {
    return config.with("cluster.enabled", true)
        .with("cluster.name", name)
        .with("cluster.port", ports.get(node))
        .with("cluster.members", members());
  }
}
