package org.tenantfeatures.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Server-Timing durations")
class RequestTimingTest {

  @Test
  @DisplayName("Milliseconds with two decimals, as String.format(\"%.2f\") writes them (to a hundredth where a binary fraction rounds the other way)")
  void twoDecimals() {
    assertThat(RequestTiming.ms(0)).isEqualTo("0.00");
    assertThat(RequestTiming.ms(0.004)).isEqualTo("0.00");
    assertThat(RequestTiming.ms(0.05)).isEqualTo("0.05");
    assertThat(RequestTiming.ms(1.5)).isEqualTo("1.50");
    assertThat(RequestTiming.ms(12.345678)).isEqualTo("12.35");
    assertThat(RequestTiming.ms(999.999)).isEqualTo("1000.00");
    SplittableRandom random = new SplittableRandom(13);
    for (int i = 0; i < 100_000; i++) {
      double value = random.nextDouble(0, 10_000);
      String ours = RequestTiming.ms(value);
      assertThat(ours).matches("\\d+\\.\\d\\d");
      assertThat(Double.parseDouble(ours)).as("%s", value)
          .isCloseTo(Double.parseDouble(String.format(Locale.ROOT, "%.2f", value)), within(0.0100001));
    }
  }
}
