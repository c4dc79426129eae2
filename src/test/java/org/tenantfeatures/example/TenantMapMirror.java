package org.tenantfeatures.example;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicReference;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.ChangeEvent;
import org.tenantfeatures.client.DatabaseClient;
import org.tenantfeatures.client.Deadline;
import org.tenantfeatures.client.TenantMap;

/**
 * Another team's verticle, as it would be written against the client jar alone (it imports
 * nothing of the service): it joins the cluster with the service's nodes (its Vert.x is
 * clustered by whoever deploys it), reads one tenant's map over the event bus, and keeps its own
 * copy current from the change events, re-reading when one concerns its tenant. A failed read
 * keeps the copy it has and is tried again on the next event: the client never answers a partial
 * map, so the copy is always a complete one.
 */
public class TenantMapMirror extends VerticleBase {

  private static final long READ_BUDGET_MS = 2_000;

  private final String tenantId;
  private final AtomicReference<TenantMap> copy = new AtomicReference<>();
  private DatabaseClient client;
  private MessageConsumer<JsonObject> changes;

  public TenantMapMirror(String tenantId) {
    this.tenantId = tenantId;
  }

  /** The copy, or null before the first read. */
  public TenantMap copy() {
    return copy.get();
  }

  @Override
  public Future<?> start() {
    client = new DatabaseClient(vertx);
    // Subscribe first, then read: a change between the two is then never missed.
    changes = ChangeEvent.subscribe(vertx, change -> {
      if (change.allTenants() || tenantId.equals(change.tenantId())) {
        refresh();
      }
    });
    return changes.completion().compose(v -> refresh());
  }

  @Override
  public Future<?> stop() {
    return changes.unregister();
  }

  private Future<TenantMap> refresh() {
    return client.tenantMap(tenantId, new Call("mirror-" + tenantId, Deadline.in(READ_BUDGET_MS)))
        // Reads may complete out of order: never go back to an older revision.
        .onSuccess(read -> copy.accumulateAndGet(read, (held, fresh) -> held == null || fresh.revision() >= held.revision()
            ? fresh : held));
  }
}
