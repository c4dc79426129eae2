package org.tenantfeatures.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class QueryNumbersTest {

  @Test
  @DisplayName("ASCII digits, leading zeros too, up to 18 of them and within the bounds")
  void asciiDigitsAreRead() {
    assertThat(QueryNumbers.parse("0", 0, 10)).hasValue(0);
    assertThat(QueryNumbers.parse("007", 0, 10)).hasValue(7);
    assertThat(QueryNumbers.parse("999999999999999999", 0, Long.MAX_VALUE)).hasValue(999_999_999_999_999_999L);
    assertThat(QueryNumbers.parse("11", 0, 10)).isEmpty();
    assertThat(QueryNumbers.parse("0", 1, 10)).isEmpty();
  }

  @ParameterizedTest(name = "refuses \"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {"+5", "-5", " 5", "5 ", "\u0665", "\u0661\u0660", "\uff15", "\u096b", "5\u0000", "0x5", "1e2", "1.0",
      "1_000", "9999999999999999999", "0000000000000000001"})
  @DisplayName("anything else: a sign, spaces, another script's digits (which Long.parseLong reads), 19 digits or more")
  void everythingElseIsRefused(String text) {
    assertThat(QueryNumbers.parse(text, 0, Long.MAX_VALUE)).isEmpty();
  }
}
