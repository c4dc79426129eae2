package org.tenantfeatures.audit;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.bus.FeatureBus;
import org.tenantfeatures.bus.FeatureBus.Fields;

/**
 * The notification side of {@code features.changed}: one log line per announced change (logger
 * {@code org.tenantfeatures.audit.ChangeLogVerticle}), for operators and log-based alerting. The
 * audit record itself is written in the change's own transaction ({@code audit_log}); this
 * consumer only tells, and shows that other verticles can follow changes without the producer
 * knowing them.
 */
public class ChangeLogVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ChangeLogVerticle.class);

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(FeatureBus.FEATURES_CHANGED, message -> {
      JsonObject change = message.body();
      log.info("Change: tenant={} flag={} revision={} source={}", change.getString(Fields.TENANT_ID, "*"),
          change.getString(Fields.FLAG), change.getValue(Fields.REVISION), change.getString(Fields.SOURCE));
    }).completion();
  }
}
