package org.tenantfeatures.http.auth;

import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tenantfeatures.config.AppConfig.TokenGrant;
import org.tenantfeatures.http.problem.Problem;
import org.tenantfeatures.http.problem.ProblemResponses;

/**
 * Resolves {@code Authorization: Bearer <token>} to the configured grant. Tokens are looked up
 * by their SHA-256 digest, so the lookup time says nothing about how much of a guess matched.
 */
public final class TokenAuthenticator {

  private static final String BEARER = "bearer ";

  private final Map<ByteBuffer, TokenGrant> byDigest = new HashMap<>();
  private final Map<String, TokenGrant> byName = new HashMap<>();

  public TokenAuthenticator(List<TokenGrant> grants) {
    grants.forEach(g -> byDigest.put(digest(g.token()), g));
    grants.forEach(g -> byName.put(g.name(), g));
  }

  /** The grant of a configured token's name (names are unique), for credentials that name it. */
  public Optional<TokenGrant> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  Optional<TokenGrant> authenticate(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.length() <= BEARER.length()
        || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    String token = authorizationHeader.substring(BEARER.length()).trim();
    return token.isEmpty() ? Optional.empty() : Optional.ofNullable(byDigest.get(digest(token)));
  }

  /**
   * The grant of the request's token; without a valid one the request is answered 401 and empty.
   * With {@code apiKeyToo}, a request without an {@code Authorization} header may send the token
   * as {@code X-API-Key} (OFREP's alternative).
   */
  Optional<TokenGrant> identify(RoutingContext ctx, boolean apiKeyToo) {
    String authorization = ctx.request().getHeader("Authorization");
    String apiKey = apiKeyToo && authorization == null ? ctx.request().getHeader("X-API-Key") : null;
    Optional<TokenGrant> grant = apiKey != null && !apiKey.isBlank()
        ? Optional.ofNullable(byDigest.get(digest(apiKey.trim()))) : authenticate(authorization);
    if (grant.isEmpty()) {
      ProblemResponses.send(ctx, Problem.UNAUTHORIZED, "Send 'Authorization: Bearer <token>' with a configured token.");
    }
    return grant;
  }

  /**
   * One digest per thread: looking the algorithm up for every request was half the cost of the
   * digest. Netty's FastThreadLocal, an array slot on an event loop: a ThreadLocal's hash probe
   * missed among Netty's and Vert.x's own thread locals, on every request (docs/BENCHMARKS.md, "Figures behind the code").
   */
  private static final FastThreadLocal<MessageDigest> SHA_256 = new FastThreadLocal<>() {
    @Override
    protected MessageDigest initialValue() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every JVM", e);
      }
    }
  };

  /** The digest's 32 bytes as a map key (hashed and compared as bytes: no hex string per request). */
  private static ByteBuffer digest(String token) {
    return ByteBuffer.wrap(SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
  }
}
