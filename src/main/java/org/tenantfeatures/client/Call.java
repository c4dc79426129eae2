package org.tenantfeatures.client;

/**
 * One request as it crosses the contract: its id, for the log lines of both sides, and its
 * deadline. After the reply it also holds the time the database side spent on it, which travels
 * in a reply header ({@link FeatureBus#DB_MS}), never in a body, for the HTTP side's
 * {@code Server-Timing}.
 */
public final class Call {

  private final String requestId;
  private final Deadline deadline;
  private volatile double dbMs = -1;

  public Call(String requestId, Deadline deadline) {
    this.requestId = requestId;
    this.deadline = deadline;
  }

  public String requestId() {
    return requestId;
  }

  public Deadline deadline() {
    return deadline;
  }

  /** Milliseconds the database side reported for the last reply to this call; -1 before one, or without one. */
  public double dbMs() {
    return dbMs;
  }

  void dbMs(double millis) {
    dbMs = millis;
  }
}
