package org.tenantfeatures.http.problem;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.client.FailureCode;
import org.tenantfeatures.http.RequestIds;

/** The one place where a failed bus request becomes an HTTP problem. */
public final class BusFailures {

  private static final Logger log = LoggerFactory.getLogger(BusFailures.class);

  public record Answer(Problem problem, String detail, long retryAfterSeconds) {
  }

  private BusFailures() {
  }

  /** Answers the request with the problem its failed bus request stands for. */
  public static void send(RoutingContext ctx, Throwable failure, long circuitRetryAfterSeconds) {
    Answer answer = toAnswer(failure, circuitRetryAfterSeconds, RequestIds.of(ctx));
    ProblemResponses.send(ctx, answer.problem(), answer.detail(), answer.retryAfterSeconds());
  }

  public static Answer toAnswer(Throwable failure, long circuitRetryAfterSeconds, String requestId) {
    if (!(failure instanceof ReplyException reply)) {
      log.error("req={} Unexpected failure of a database request", requestId, failure);
      return new Answer(Problem.INTERNAL, "The request failed unexpectedly.", 1);
    }
    return switch (reply.failureType()) {
      case TIMEOUT -> new Answer(Problem.DEADLINE_EXCEEDED, "The database did not answer within the request deadline.", 1);
      case NO_HANDLERS -> new Answer(Problem.DATABASE_UNAVAILABLE, "No database node is reachable.", 1);
      case RECIPIENT_FAILURE, ERROR -> fromCode(reply, circuitRetryAfterSeconds, requestId);
    };
  }

  /**
   * The failure's own message, written for the caller by the database side ({@code db.Refusal}),
   * without the code the binding puts before it.
   */
  private static String detail(ReplyException reply) {
    String message = String.valueOf(reply.getMessage());
    int colon = message.indexOf(": ");
    return colon < 0 ? message : message.substring(colon + 2);
  }

  private static Answer fromCode(ReplyException reply, long circuitRetryAfterSeconds, String requestId) {
    FailureCode code = FailureCode.of(reply.failureCode()).orElse(FailureCode.INTERNAL);
    return switch (code) {
      case NOT_FOUND -> new Answer(Problem.UNKNOWN_FLAG, "No flag has that name.", 1);
      case INVALID_VALUE -> new Answer(Problem.INVALID_VALUE, "A value of the request cannot be stored (control characters?).", 1);
      case CONFLICT -> new Answer(Problem.FLAG_EXISTS, "A flag of that name exists.", 1);
      case UNKNOWN_SEGMENT -> new Answer(Problem.UNKNOWN_SEGMENT, detail(reply), 1);
      case UNKNOWN_TENANT -> new Answer(Problem.UNKNOWN_TENANT, detail(reply), 1);
      case SEGMENT_IN_USE -> new Answer(Problem.SEGMENT_IN_USE, detail(reply), 1);
      case RULE_SEGMENT_MISSING -> new Answer(Problem.SEGMENT_MISSING, detail(reply), 1);
      case DATABASE_UNAVAILABLE -> new Answer(Problem.DATABASE_UNAVAILABLE, "The database cannot be reached.", 1);
      case CIRCUIT_OPEN -> new Answer(Problem.CIRCUIT_OPEN,
          "The database failed repeatedly; requests are refused until it is tried again.", circuitRetryAfterSeconds);
      case POOL_EXHAUSTED -> new Answer(Problem.POOL_EXHAUSTED, "No database connection became free in time.", 1);
      case DEADLINE_EXCEEDED -> new Answer(Problem.DEADLINE_EXCEEDED, "The database did not answer within the request deadline.", 1);
      case BAD_ACTION, BAD_MESSAGE, INTERNAL -> {
        // The HTTP side validated the request, so these are our bugs, never the client's.
        log.error("req={} Database verticle rejected a request: code {} ({})", requestId, reply.failureCode(), reply.getMessage());
        yield new Answer(Problem.INTERNAL, "The request failed unexpectedly.", 1);
      }
    };
  }
}
