package org.tenantfeatures.db;

import io.vertx.core.VertxException;

/** The request's budget ran out before the database answered (or before a retry could fit). */
final class DeadlineExceededException extends VertxException {
  DeadlineExceededException(String message) {
    super(message, true);
  }
}
