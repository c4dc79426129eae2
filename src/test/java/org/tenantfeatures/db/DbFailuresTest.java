package org.tenantfeatures.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.client.FailureCode;

@DisplayName("Classification of database failures")
class DbFailuresTest {

  /** Each of {@code failures} is {@code code}, retried or not, counted against the database or not (null: either). */
  private static void assertClassified(FailureCode code, boolean retryable, Boolean countsAgainstDatabase, Throwable... failures) {
    for (Throwable t : failures) {
      assertThat(DbFailures.classify(t)).as("%s", t).isEqualTo(code);
      assertThat(DbFailures.retryable(t)).as("retryable: %s", t).isEqualTo(retryable);
      if (countsAgainstDatabase != null) {
        assertThat(DbFailures.countsAgainstDatabase(t)).as("counts against the database: %s", t).isEqualTo(countsAgainstDatabase);
      }
    }
  }

  @Test
  @DisplayName("The pool's wait timeout and full wait queue are POOL_EXHAUSTED, and do not count against the database")
  void poolExhaustion() {
    assertClassified(FailureCode.POOL_EXHAUSTED, false, false, new VertxException("Timeout waiting for connection", true),
        new VertxException("Timeout", true), new ConnectionPoolTooBusyException("max wait queue size of 2"));
  }

  @Test
  @DisplayName("Refused, reset and closed connections are DATABASE_UNAVAILABLE, retryable, and count against the database")
  void connectionFailures() {
    assertClassified(FailureCode.DATABASE_UNAVAILABLE, true, true, new ConnectException("Connection refused"),
        ClosedConnectionException.INSTANCE, new PgException("terminating connection", "FATAL", "57P01", "admin"));
  }

  @Test
  @DisplayName("Our own timeout and the server's statement timeout are DEADLINE_EXCEEDED and not retried")
  void timeouts() {
    assertClassified(FailureCode.DEADLINE_EXCEEDED, false, null, new NoStackTraceTimeoutException("Timeout 948 (ms) fired"),
        new PgException("canceling statement due to statement timeout", "ERROR", "57014", ""));
  }

  @Test
  @DisplayName("An open circuit is CIRCUIT_OPEN; a constraint violation is the caller's BAD_MESSAGE and opens nothing")
  void circuitAndClientErrors() {
    assertThat(DbFailures.classify(OpenCircuitException.INSTANCE)).isEqualTo(FailureCode.CIRCUIT_OPEN);
    PgException unique = new PgException("duplicate key", "ERROR", "23505", "");
    assertThat(DbFailures.classify(unique)).isEqualTo(FailureCode.BAD_MESSAGE);
    assertThat(DbFailures.countsAgainstDatabase(unique)).isFalse();
  }

  @Test
  @DisplayName("Every data exception (SQLSTATE class 22, a NUL byte among them) is INVALID_VALUE, a 400, and opens nothing")
  void dataExceptionsAreTheClientsMistake() {
    for (String state : new String[] {"22021", "22001", "22003", "22P02", "22000"}) {
      PgException data = new PgException("invalid value", "ERROR", state, "");
      assertThat(DbFailures.classify(data)).as(state).isEqualTo(FailureCode.INVALID_VALUE);
      assertThat(DbFailures.countsAgainstDatabase(data)).as(state).isFalse();
    }
  }

  @Test
  @DisplayName("A pool closing with its node is DATABASE_UNAVAILABLE (another node can answer); a deadline is DEADLINE_EXCEEDED")
  void poolClosedAndDeadline() {
    io.vertx.core.VertxException closed = new io.vertx.core.VertxException("Pool closed", true);
    assertThat(DbFailures.classify(closed)).isEqualTo(FailureCode.DATABASE_UNAVAILABLE);
    assertThat(DbFailures.classify(new java.util.concurrent.TimeoutException("late"))).isEqualTo(FailureCode.DEADLINE_EXCEEDED);
    assertThat(DbFailures.classify(new IllegalStateException("a bug"))).isEqualTo(FailureCode.INTERNAL);
    assertThat(DbFailures.countsAgainstDatabase(new IllegalStateException("a bug"))).isTrue();
  }
}
