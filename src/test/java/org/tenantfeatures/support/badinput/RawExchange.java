package org.tenantfeatures.support.badinput;

import static org.tenantfeatures.support.badinput.BadInputPlan.RAW_DEADLINE_MS;
import static org.tenantfeatures.support.badinput.BadInputPlan.RAW_QUIET_MS;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a raw case and reads until the server closes, falls quiet after an answer, or the deadline
 * ({@link BadInputPlan#RAW_QUIET_MS}, {@link BadInputPlan#RAW_DEADLINE_MS}); one connection per
 * case, since such bytes may end it.
 */
final class RawExchange {

  private final Vertx vertx;
  private final NetSocket socket;
  private final Case c;
  private final Promise<List<Answer>> result;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private long deadlineTimer = -1;
  private long quietTimer = -1;
  private boolean finished;

  RawExchange(Vertx vertx, NetSocket socket, Case c, Promise<List<Answer>> result) {
    this.vertx = vertx;
    this.socket = socket;
    this.c = c;
    this.result = result;
  }

  void start() {
    socket.handler(buffer -> {
      received.writeBytes(buffer.getBytes());
      RawResponses parsed = RawResponses.parse(received.toByteArray(), false, c.head());
      if (!parsed.answers().isEmpty() && parsed.incomplete() == null) {
        if (quietTimer >= 0) {
          vertx.cancelTimer(quietTimer);
        }
        quietTimer = vertx.setTimer(RAW_QUIET_MS, t -> finish(false, false));
      }
    });
    socket.closeHandler(v -> finish(true, false));
    socket.exceptionHandler(e -> {
      // A reset while writing a large request the server no longer reads: same as a close.
    });
    deadlineTimer = vertx.setTimer(RAW_DEADLINE_MS, t -> finish(false, true));
    socket.write(c.raw());
  }

  private void finish(boolean closedByServer, boolean deadline) {
    if (finished) {
      return;
    }
    finished = true;
    vertx.cancelTimer(deadlineTimer);
    if (quietTimer >= 0) {
      vertx.cancelTimer(quietTimer);
    }
    if (!closedByServer) {
      socket.close();
    }
    byte[] bytes = received.toByteArray();
    RawResponses parsed = RawResponses.parse(bytes, closedByServer, c.head());
    List<Answer> answers = new ArrayList<>(parsed.answers());
    if (parsed.incomplete() != null) {
      answers.add(Answer.failed("unreadable answer: " + parsed.incomplete()));
    }
    if (answers.isEmpty()) {
      answers.add(Answer.failed(deadline ? "silent" : "closed"));
    }
    result.tryComplete(answers);
  }
}
