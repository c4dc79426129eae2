package org.tenantfeatures.db;

import io.vertx.core.VertxException;
import org.tenantfeatures.client.FailureCode;

/**
 * A request the data refuses (a segment that does not exist, one still in use): its code travels
 * on the bus, and its message, written for the caller, becomes the problem's detail.
 */
public final class Refusal extends VertxException {

  private static final long serialVersionUID = 1L;

  private final FailureCode code;

  public Refusal(FailureCode code, String message) {
    super(message, true);
    this.code = code;
  }

  public FailureCode code() {
    return code;
  }
}
