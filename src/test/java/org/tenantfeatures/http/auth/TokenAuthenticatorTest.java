package org.tenantfeatures.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tenantfeatures.config.AppConfig.TokenGrant;

class TokenAuthenticatorTest {

  private static final TokenGrant OPS = new TokenGrant("ops", "ops-secret-token", true, Set.of());
  private static final TokenGrant SCOPED =
      new TokenGrant("scoped", "scoped-secret-token", false, Set.of("3f2504e0-4f89-41d3-9a0c-0305e82c3301"));

  private final TokenAuthenticator authenticator = new TokenAuthenticator(List.of(OPS, SCOPED));

  @Test
  @DisplayName("a Bearer header with a configured token resolves to that token's grant")
  void knownTokenResolvesToItsGrant() {
    assertThat(authenticator.authenticate("Bearer ops-secret-token")).containsSame(OPS);
    assertThat(authenticator.authenticate("Bearer scoped-secret-token")).containsSame(SCOPED);
  }

  @ParameterizedTest(name = "scheme spelt \"{0}\"")
  @ValueSource(strings = {"bearer", "BEARER", "bEaReR"})
  @DisplayName("the Bearer scheme is matched case-insensitively")
  void schemeIsCaseInsensitive(String scheme) {
    assertThat(authenticator.authenticate(scheme + " ops-secret-token")).containsSame(OPS);
  }

  @Test
  @DisplayName("whitespace around the token is ignored, but the token itself is compared exactly")
  void tokenIsTrimmedButExact() {
    assertThat(authenticator.authenticate("Bearer   ops-secret-token  ")).containsSame(OPS);
    assertThat(authenticator.authenticate("Bearer OPS-SECRET-TOKEN")).isEmpty();
    assertThat(authenticator.authenticate("Bearer ops-secret")).isEmpty();
  }

  @Test
  @DisplayName("an unknown token resolves to no grant")
  void unknownTokenIsRejected() {
    assertThat(authenticator.authenticate("Bearer not-a-configured-token")).isEmpty();
  }

  @ParameterizedTest(name = "header \"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {"Bearer", "Bearer ", "Bearer     ", "Basic ops-secret-token", "Bearerops-secret-token",
      "ops-secret-token", "Token ops-secret-token"})
  @DisplayName("a missing, empty or other-scheme header, or an empty token, resolves to no grant")
  void malformedHeadersAreRejected(String header) {
    assertThat(authenticator.authenticate(header)).isEmpty();
  }

  @Test
  @DisplayName("with no grants configured, no header authenticates")
  void noGrantsMeansNoAccess() {
    assertThat(new TokenAuthenticator(List.of()).authenticate("Bearer ops-secret-token")).isEmpty();
  }
}
