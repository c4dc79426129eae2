package org.tenantfeatures.events;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.client.ChangeEvent;

/**
 * The notification side of {@code features.changed}: one log line per announced change (logger
 * {@code org.tenantfeatures.events.ChangeLogVerticle}), for operators and log-based alerting. The
 * audit record itself is written in the change's own transaction ({@code audit_log}); this
 * consumer only tells, and shows that other verticles can follow changes without the producer
 * knowing them.
 */
public class ChangeLogVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ChangeLogVerticle.class);

  @Override
  public Future<?> start() {
    return ChangeEvent.subscribe(vertx, change -> log.info("Change: tenant={} flag={} revision={} source={}",
        change.allTenants() ? "*" : change.tenantId(), change.flag(), change.revision(), change.source())).completion();
  }
}
