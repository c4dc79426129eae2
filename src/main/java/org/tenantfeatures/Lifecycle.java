package org.tenantfeatures;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a load balancer needs to know of this node besides the database: whether the schema is
 * in place, and whether the node is draining before it stops. Shared by every verticle of the
 * node; read by the readiness check.
 */
public final class Lifecycle {

  private final AtomicBoolean migrated = new AtomicBoolean();
  private final AtomicBoolean draining = new AtomicBoolean();

  public void migrated() {
    migrated.set(true);
  }

  public boolean isMigrated() {
    return migrated.get();
  }

  /** From now on the node reports not ready, while it goes on serving. */
  public void drain() {
    draining.set(true);
  }

  public boolean isDraining() {
    return draining.get();
  }
}
