package org.tenantfeatures.db;

import io.vertx.core.VertxException;

/** A flag of that name exists already: {@link org.tenantfeatures.client.FailureCode#CONFLICT}. */
public final class FlagExistsException extends VertxException {

  public FlagExistsException(String flag) {
    super("flag '" + flag + "' exists", true);
  }
}
