package org.tenantfeatures.http.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.client.FailureCode;

@DisplayName("Bus failure → HTTP problem")
class BusFailuresTest {

  private static Problem problemFor(FailureCode code) {
    return BusFailures.toAnswer(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code.code(), code.name()), 5, "t").problem();
  }

  @Test
  @DisplayName("A value the database refused as data is the client's 400, never a 500")
  void invalidValueIsBadRequest() {
    assertThat(problemFor(FailureCode.INVALID_VALUE)).isEqualTo(Problem.INVALID_VALUE);
    assertThat(Problem.INVALID_VALUE.status()).isEqualTo(400);
  }

  @Test
  @DisplayName("Every failure code but the sender's own bugs maps to a problem other than internal")
  void onlyBugsAreInternal() {
    for (FailureCode code : FailureCode.values()) {
      boolean bug = code == FailureCode.BAD_ACTION || code == FailureCode.BAD_MESSAGE || code == FailureCode.INTERNAL;
      assertThat(problemFor(code) == Problem.INTERNAL).as(code.name()).isEqualTo(bug);
    }
  }
}
