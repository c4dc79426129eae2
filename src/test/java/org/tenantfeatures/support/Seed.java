package org.tenantfeatures.support;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.tenantfeatures.client.ChangeEvent;

/** Test data written straight into the tables with SQL. */
public final class Seed {

  private Seed() {
  }

  /** Creates {@code count} flags named {@code flag_000...}. */
  public static void flags(String dbUri, int count) {
    Sql.execute(dbUri, "INSERT INTO feature_flags (name, description) "
        + "SELECT 'flag_' || lpad(i::text, 3, '0'), 'test flag ' || i FROM generate_series(0, " + (count - 1) + ") i "
        + "ON CONFLICT (name) DO NOTHING");
  }

  /**
   * As {@link #flags}, on a running service, and returns once {@code vertx}'s node has heard the
   * change notification of the last one (each new flag drops every cached map when it is heard,
   * and with it what the cache remembers): a test that counts cache hits or change events starts
   * after them, not among them.
   */
  public static void flagsHeard(Vertx vertx, String dbUri, int count) throws Exception {
    String last = String.format("flag_%03d", count - 1);
    CountDownLatch heard = new CountDownLatch(1);
    MessageConsumer<JsonObject> consumer = ChangeEvent.subscribe(vertx, change -> {
      if (last.equals(change.flag())) {
        heard.countDown();
      }
    });
    Await.await(consumer.completion());
    try {
      flags(dbUri, count);
      if (!heard.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the change notification of " + last + " was not heard in 10 s");
      }
    } finally {
      Await.await(consumer.unregister());
    }
  }

  /**
   * Gives a tenant a row for about two flags in three, alternately enabled and disabled, varied
   * by the tenant id so that no two tenants share a map by accident.
   */
  public static String tenantWithData(String dbUri) {
    String tenant = UUID.randomUUID().toString();
    Sql.execute(dbUri, "INSERT INTO tenant_features (tenant_id, feature_id, is_enabled) "
        + "SELECT '" + tenant + "', id, (id + " + (tenant.hashCode() & 7) + ") % 2 = 0 FROM feature_flags "
        + "WHERE (id + " + (tenant.hashCode() & 3) + ") % 3 <> 0");
    return tenant;
  }

  /**
   * As {@link #tenantWithData}, on a running service, and returns once {@code vertx}'s node has
   * heard the notification of the tenant's last row (each drops the tenant's cached map, and what
   * stale-if-error remembers of it, when it is heard): a test that reads the tenant starts after
   * them, not among them.
   */
  public static String tenantWithDataHeard(Vertx vertx, String dbUri) throws Exception {
    Map<String, Long> heard = new ConcurrentHashMap<>();
    MessageConsumer<JsonObject> consumer = ChangeEvent.subscribe(vertx, change -> {
      if (change.tenantId() != null && change.revision() != null) {
        heard.merge(change.tenantId(), change.revision(), Math::max);
      }
    });
    Await.await(consumer.completion());
    try {
      String tenant = tenantWithData(dbUri);
      long revision;
      try (Connection c = Sql.connect(dbUri);
           PreparedStatement s = c.prepareStatement("SELECT revision FROM tenant_revisions WHERE tenant_id = ?::uuid")) {
        s.setString(1, tenant);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          revision = rs.getLong(1);
        }
      }
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (heard.getOrDefault(tenant, 0L) < revision) {
        if (System.nanoTime() - giveUp > 0) {
          throw new AssertionError("the notification of revision " + revision + " of " + tenant + " was not heard in 10 s");
        }
        Thread.sleep(5); // polling with a deadline, not synchronisation: the condition is checked
      }
      return tenant;
    } finally {
      Await.await(consumer.unregister());
    }
  }

  public static List<String> tenantsWithData(String dbUri, int count) {
    List<String> tenants = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tenants.add(tenantWithData(dbUri));
    }
    return tenants;
  }
}
