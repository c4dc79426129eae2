package org.tenantfeatures.boot;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a load balancer needs to know of this node besides the database: whether the schema is
 * in place, and whether the node is draining before it stops. Shared by every verticle of the
 * node; read by the readiness check.
 */
public final class Lifecycle {

  private final AtomicBoolean migrated = new AtomicBoolean();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final List<Runnable> onDrain = new CopyOnWriteArrayList<>();

  public void migrated() {
    migrated.set(true);
  }

  public boolean isMigrated() {
    return migrated.get();
  }

  /** From now on the node reports not ready, while it goes on serving. */
  public void drain() {
    if (!draining.getAndSet(true)) {
      onDrain.forEach(Runnable::run);
    }
  }

  /** Runs {@code action} when the node starts draining (on the draining thread: hand it to your own context). */
  public void onDrain(Runnable action) {
    onDrain.add(action);
  }

  public boolean isDraining() {
    return draining.get();
  }
}
