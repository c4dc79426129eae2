package org.tenantfeatures.http.ofrep;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.tenantfeatures.client.TenantIds;
import org.tenantfeatures.config.AppConfig.TokenGrant;
import org.tenantfeatures.http.auth.Permission;
import org.tenantfeatures.http.auth.TokenAuthenticator;

/**
 * The credential in a change stream's URL. A browser's {@code EventSource} cannot send an
 * {@code Authorization} header and the OFREP web provider opens the advertised URL as it is, so
 * the URL carries a ticket: the token's name, the tenant and an expiry, signed with HMAC-SHA256
 * keyed by the token itself. It never contains the token; any node that knows the token checks
 * it (no shared secret to distribute); it reaches one tenant only, only while the token exists
 * with its scope and {@code read}; it serves for connecting until it expires (an open stream is
 * not cut then). A ticket is held to what this service issues, whoever signed it: an expiry at most
 * {@code http.streamTicketTtlSeconds} ahead (a token holder could otherwise sign one valid until
 * 2100) and the tenant id in canonical form (the one the stream's events are keyed by).
 * Still to do (issue 22): a server-side signing key, so that a leaked ticket is no offline
 * oracle for the token that signed it.
 */
public final class StreamTickets {

  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
  /** How far another node's clock may be ahead of this one's: its tickets expire that much later. */
  private static final long CLOCK_SKEW_SECONDS = 60;

  /** Who a valid ticket speaks for. */
  record Holder(TokenGrant grant, String tenantId) {
  }

  private final TokenAuthenticator tokens;
  private final long ttlSeconds;

  public StreamTickets(TokenAuthenticator tokens, long ttlSeconds) {
    this.tokens = tokens;
    this.ttlSeconds = ttlSeconds;
  }

  String issue(TokenGrant grant, String tenantId, long nowSeconds) {
    String claims = grant.name() + "\n" + tenantId + "\n" + (nowSeconds + ttlSeconds);
    return ENCODE.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + ENCODE.encodeToString(sign(grant, claims));
  }

  /** The holder of a genuine, unexpired ticket whose token still reaches the tenant and may read; otherwise empty. */
  Optional<Holder> check(String ticket, long nowSeconds) {
    if (ticket == null || ticket.length() > 512) {
      return Optional.empty();
    }
    int dot = ticket.indexOf('.');
    try {
      String claims = new String(DECODE.decode(ticket.substring(0, Math.max(dot, 0))), StandardCharsets.UTF_8);
      String[] parts = claims.split("\n", -1);
      if (dot < 0 || parts.length != 3 || !TenantIds.isCanonical(parts[1]) || !parts[2].matches("[0-9]{1,18}")) {
        return Optional.empty();
      }
      long expiry = Long.parseLong(parts[2]);
      if (expiry < nowSeconds || expiry - nowSeconds > ttlSeconds + CLOCK_SKEW_SECONDS) {
        return Optional.empty();
      }
      byte[] signature = DECODE.decode(ticket.substring(dot + 1));
      return tokens.named(parts[0])
          .filter(grant -> MessageDigest.isEqual(sign(grant, claims), signature))
          .filter(grant -> grant.allows(parts[1]) && grant.may(Permission.READ.configName()))
          .map(grant -> new Holder(grant, parts[1]));
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }

  private static byte[] sign(TokenGrant grant, String claims) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(grant.token().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(claims.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }
}
