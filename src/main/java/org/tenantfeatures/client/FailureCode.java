package org.tenantfeatures.client;

import java.util.Arrays;
import java.util.Optional;

/**
 * Failure codes a bus reply carries in {@code ReplyException.failureCode()}. Each has a fixed
 * number (never the ordinal) so that nodes of different builds in one cluster still agree.
 */
public enum FailureCode {
  /** The action header is missing or names no known action: a bug in the sender. */
  BAD_ACTION(400),
  /** The body is missing or a field is malformed: a bug in the sender. */
  BAD_MESSAGE(422),
  /**
   * The database refused a value of the request as data (SQLSTATE class 22: a NUL character, a
   * value out of range): the client's mistake that validation let through, never a server error.
   */
  INVALID_VALUE(421),
  /** The request names something that does not exist (a flag). */
  NOT_FOUND(404),
  /** The request conflicts with the current state (a flag of that name exists). */
  CONFLICT(409),
  /** The segment the request names does not exist; the message says which. */
  UNKNOWN_SEGMENT(4041),
  /** The tenant the request names has no record; the message says which. */
  UNKNOWN_TENANT(4042),
  /** A segment a flag's rules use cannot be deleted; the message names the flags. */
  SEGMENT_IN_USE(4091),
  /** A targeting's rule names a segment that does not exist; the message says which. */
  RULE_SEGMENT_MISSING(4221),
  /** The database refused the connection, dropped it, or answered with a server error. */
  DATABASE_UNAVAILABLE(503),
  /** The circuit breaker is open: the database failed repeatedly and is not being asked. */
  CIRCUIT_OPEN(530),
  /** No pooled connection became free in time, or the wait queue is full. */
  POOL_EXHAUSTED(531),
  /** The answer could not be produced within the request's budget. */
  DEADLINE_EXCEEDED(504),
  /** Anything else: an internal error, logged with its stack trace where it happened. */
  INTERNAL(500);

  private final int code;

  FailureCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Optional<FailureCode> of(int code) {
    return Arrays.stream(values()).filter(c -> c.code == code).findFirst();
  }
}
