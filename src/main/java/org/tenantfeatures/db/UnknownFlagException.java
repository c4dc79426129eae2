package org.tenantfeatures.db;

import io.vertx.core.VertxException;

/** The flag a read or write names does not exist: {@link org.tenantfeatures.client.FailureCode#NOT_FOUND}. */
public final class UnknownFlagException extends VertxException {

  public UnknownFlagException(String flag) {
    super("unknown flag '" + flag + "'", true);
  }
}
