package org.tenantfeatures.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdsTest {

  private static final String CANONICAL = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

  @Test
  @DisplayName("a lower-case UUID in 8-4-4-4-12 form is its own canonical form")
  void canonicalFormIsKept() {
    assertThat(TenantIds.canonical(CANONICAL)).contains(CANONICAL);
  }

  @Test
  @DisplayName("upper- and mixed-case UUIDs, with surrounding whitespace, canonicalise to trimmed lower case")
  void upperCaseAndWhitespaceAreCanonicalised() {
    assertThat(TenantIds.canonical(CANONICAL.toUpperCase())).contains(CANONICAL);
    assertThat(TenantIds.canonical(" 3F2504E0-4f89-41D3-9a0c-0305E82C3301\n")).contains(CANONICAL);
  }

  @ParameterizedTest(name = "rejects \"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {
      "1-2-3-4-5",
      "{3f2504e0-4f89-41d3-9a0c-0305e82c3301}",
      "3f2504e04f8941d39a0c0305e82c3301",
      "3g2504e0-4f89-41d3-9a0c-0305e82c3301",
      "3f2504e0-4f89-41d3-9a0c-0305e82c33011",
      "urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301",
      "*"})
  @DisplayName("anything but a strict 8-4-4-4-12 hex UUID has no canonical form")
  void nonStrictFormsAreRejected(String text) {
    assertThat(TenantIds.canonical(text)).isEmpty();
  }

  @Test
  @DisplayName("isCanonical is true only for the canonical lower-case string itself")
  void isCanonicalOnlyForCanonicalString() {
    assertThat(TenantIds.isCanonical(CANONICAL)).isTrue();
    assertThat(TenantIds.isCanonical(CANONICAL.toUpperCase())).isFalse();
    assertThat(TenantIds.isCanonical(" " + CANONICAL)).isFalse();
    assertThat(TenantIds.isCanonical("1-2-3-4-5")).isFalse();
  }

  @Test
  @DisplayName("isCanonical is false for values that are not strings, including null and java.util.UUID")
  void isCanonicalFalseForNonStrings() {
    assertThat(TenantIds.isCanonical(null)).isFalse();
    assertThat(TenantIds.isCanonical(java.util.UUID.fromString(CANONICAL))).isFalse();
    assertThat(TenantIds.isCanonical(42)).isFalse();
  }
}
