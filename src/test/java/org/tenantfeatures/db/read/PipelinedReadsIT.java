package org.tenantfeatures.db.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.ServiceUnderTest;
import org.tenantfeatures.support.Sql;

/**
 * Reads are pipelined: one read connection carries many statements at once. With a single read
 * connection and no wait queue, reads held up by a lock are all in flight on that connection
 * and all answered once it is released; with a connection per statement (before), all but one
 * were refused at once as pool-exhausted.
 */
@DisplayName("Pipelined reads")
class PipelinedReadsIT {

  private static final int READS = 8;

  private ServiceUnderTest node;
  private final String tenant = UUID.randomUUID().toString();

  @BeforeEach
  void deploy() throws Exception {
    node = ServiceUnderTest.start(READS, c -> c
        .with("db.pool.maxSize", 1)
        .with("db.pool.maxWaitQueueSize", 0)
        .with("cache.ttlMs", 0));
    Seed.flags(node.dbUri(), 3);
  }

  @AfterEach
  void close() throws Exception {
    node.close();
  }

  @Test
  @DisplayName("With db.pool.maxSize=1 and no wait queue, 8 reads held by a lock share the one read connection and all answer the map")
  void readsShareOneConnection() throws Exception {
    assertThat(await(node.service().getFeatures(tenant)).statusCode()).as("a first read opens the read connection").isEqualTo(200);
    JsonObject expected = Sql.expectedMap(node.dbUri(), tenant);
    List<Future<HttpResponse<Buffer>>> reads = new ArrayList<>();
    try (Connection locker = Sql.connect(node.dbUri()); Statement s = locker.createStatement()) {
      locker.setAutoCommit(false);
      s.execute("LOCK TABLE feature_flags IN ACCESS EXCLUSIVE MODE");
      for (int i = 0; i < READS; i++) {
        reads.add(node.service().getFeatures(tenant));
      }
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (backends("AND wait_event_type = 'Lock'") < 1) {
        assertThat(System.nanoTime()).as("no read reached the lock").isLessThan(giveUp);
        Thread.sleep(20);
      }
      // Pipelined: the others wait behind the first on its connection, none was refused.
      assertThat(reads).as("reads answered while the lock is held").noneMatch(Future::isComplete);
      assertThat(backends("")).as("this service's connections").isEqualTo(1);
      locker.rollback();
    }
    for (HttpResponse<Buffer> r : await(Future.all(reads)).<HttpResponse<Buffer>>list()) {
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject()).isEqualTo(expected);
    }
  }

  /** Backends of this service, narrowed by {@code condition}. */
  private int backends(String condition) {
    return Sql.backends(node.dbUri(), node.service().config().db().applicationName(), condition);
  }
}
