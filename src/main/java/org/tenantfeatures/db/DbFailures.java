package org.tenantfeatures.db;

import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.client.Call;
import org.tenantfeatures.client.FailureCode;
import org.tenantfeatures.evaluation.InvalidDefinition;

/** Sorts what a database call failed with into bus failure codes and breaker decisions. */
final class DbFailures {

  /**
   * The pool's own messages when no connection became free within its connection timeout: it
   * fails with a plain VertxException, so the message is all there is to tell it by.
   */
  private static final Set<String> POOL_WAIT_TIMEOUTS = Set.of("Timeout", "Timeout waiting for connection");

  private static final Logger log = LoggerFactory.getLogger(DatabaseVerticle.class);

  private DbFailures() {
  }

  /**
   * A failed call's code, for the contract's binding; an internal failure is logged with its stack
   * trace, the others at DEBUG with their cause (the database verticle's logger: one switch shows
   * every failed call).
   */
  static FailureCode report(String action, Call call, String tenantId, Throwable cause) {
    FailureCode code = classify(cause);
    if (code == FailureCode.INTERNAL) {
      log.error("req={} {} failed for tenant {}", call.requestId(), action, tenantId, cause);
    } else {
      log.debug("req={} {} failed for tenant {}: {} ({})", call.requestId(), action, tenantId, code, cause.toString());
    }
    return code;
  }

  static FailureCode classify(Throwable failure) {
    if (failure instanceof OpenCircuitException) {
      return FailureCode.CIRCUIT_OPEN;
    }
    if (failure instanceof DeadlineExceededException || failure instanceof TimeoutException || isStatementTimeout(failure)) {
      return FailureCode.DEADLINE_EXCEEDED;
    }
    if (isPoolExhausted(failure)) {
      return FailureCode.POOL_EXHAUSTED;
    }
    if (failure instanceof UnknownFlagException) {
      return FailureCode.NOT_FOUND;
    }
    if (failure instanceof FlagExistsException) {
      return FailureCode.CONFLICT;
    }
    if (failure instanceof Refusal refusal) {
      return refusal.code();
    }
    if (failure instanceof InvalidDefinition) {
      // The HTTP side checks definitions before they are sent: one that fails here came from
      // another sender over the bus.
      return FailureCode.BAD_MESSAGE;
    }
    if (failure instanceof PgException pg && isDataException(pg)) {
      return FailureCode.INVALID_VALUE;
    }
    if (failure instanceof PgException pg && isConstraintViolation(pg)) {
      return FailureCode.BAD_MESSAGE;
    }
    if (isConnectionFailure(failure) || failure instanceof PgException || isPoolClosed(failure)) {
      return FailureCode.DATABASE_UNAVAILABLE;
    }
    return FailureCode.INTERNAL;
  }

  /**
   * Whether a failure says something about the database's health, and so counts for the breaker.
   * A saturated pool is our own load, and a constraint or data error is the caller's mistake:
   * neither should stop every other request.
   */
  static boolean countsAgainstDatabase(Throwable failure) {
    return switch (classify(failure)) {
      case DATABASE_UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL -> true;
      default -> false;
    };
  }

  /** Safe to try again: the statement was a read and the failure was in reaching the database. */
  static boolean retryable(Throwable failure) {
    if (failure instanceof PgException pg) {
      String state = pg.getSqlState();
      return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P03")
          || state.equals("40001") || state.equals("40P01"));
    }
    return isConnectionFailure(failure);
  }

  /** The pool is shutting down with this node: another node's database verticle can answer. */
  private static boolean isPoolClosed(Throwable failure) {
    return "Pool closed".equals(failure.getMessage());
  }

  /** The server cancelled the statement at {@code db.statementTimeoutMs} (SQLSTATE 57014). */
  private static boolean isStatementTimeout(Throwable failure) {
    return failure instanceof PgException pg && "57014".equals(pg.getSqlState());
  }

  private static boolean isPoolExhausted(Throwable failure) {
    return failure instanceof ConnectionPoolTooBusyException
        || (failure instanceof VertxException && POOL_WAIT_TIMEOUTS.contains(failure.getMessage()));
  }

  private static boolean isDataException(PgException pg) {
    return pg.getSqlState() != null && pg.getSqlState().startsWith("22");
  }

  private static boolean isConstraintViolation(PgException pg) {
    return pg.getSqlState() != null && pg.getSqlState().startsWith("23");
  }

  private static boolean isConnectionFailure(Throwable failure) {
    return failure instanceof ClosedConnectionException
        || failure instanceof IOException
        || (failure.getCause() instanceof IOException);
  }
}
