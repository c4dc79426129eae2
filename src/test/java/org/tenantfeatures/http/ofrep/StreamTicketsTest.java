package org.tenantfeatures.http.ofrep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.config.AppConfig.TokenGrant;
import org.tenantfeatures.http.auth.TokenAuthenticator;

@DisplayName("Stream tickets")
class StreamTicketsTest {

  private static final String TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
  private static final TokenGrant READER = new TokenGrant("reader", "reader-secret-token", true, Set.of(), Set.of("read"));
  private static final long NOW = 1_800_000_000L;
  private final StreamTickets tickets = new StreamTickets(new TokenAuthenticator(List.of(READER)), 3600);

  /** A ticket as any holder of the token can sign one: what the service must not take at its word. */
  private static String signedByTheHolder(String claims) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(READER.token().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    Base64.Encoder encode = Base64.getUrlEncoder().withoutPadding();
    return encode.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + encode.encodeToString(mac.doFinal(
        claims.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  @DisplayName("An issued ticket holds until its expiry, on a node whose clock is a little behind too")
  void issued() {
    String ticket = tickets.issue(READER, TENANT, NOW);
    assertThat(tickets.check(ticket, NOW)).hasValueSatisfying(holder -> assertThat(holder.tenantId()).isEqualTo(TENANT));
    assertThat(tickets.check(ticket, NOW - 30)).as("a node 30 s behind").isPresent();
    assertThat(tickets.check(ticket, NOW + 3600)).isPresent();
    assertThat(tickets.check(ticket, NOW + 3601)).isEmpty();
  }

  @Test
  @DisplayName("A ticket its token's holder signed is refused if it expires further ahead than the service issues, or names a "
      + "tenant in a form the service never issues (seen accepted before: valid until 2100, an upper-case id)")
  void heldToWhatTheServiceIssues() throws Exception {
    assertThat(tickets.check(signedByTheHolder("reader\n" + TENANT + "\n" + (NOW + 3600)), NOW)).as("as issued").isPresent();
    assertThat(tickets.check(signedByTheHolder("reader\n" + TENANT + "\n4102444800"), NOW)).as("until 2100").isEmpty();
    assertThat(tickets.check(signedByTheHolder("reader\n" + TENANT.toUpperCase() + "\n" + (NOW + 60)), NOW)).as("upper case").isEmpty();
    assertThat(tickets.check(signedByTheHolder("reader\n{" + TENANT + "}\n" + (NOW + 60)), NOW)).as("braces").isEmpty();
    assertThat(tickets.check(signedByTheHolder("reader\n" + TENANT + "\n+" + (NOW + 60)), NOW)).as("a sign").isEmpty();
  }
}
