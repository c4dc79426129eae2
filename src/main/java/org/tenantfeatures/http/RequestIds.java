package org.tenantfeatures.http;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Every request has an id: the client's {@code X-Request-ID} if it is a sane token, otherwise a
 * new one. It is echoed in the response, sent with every bus message of the request, and written
 * on every log line about it, so one grep finds a request across nodes.
 */
public final class RequestIds {

  static final String HEADER = "X-Request-ID";
  static final String KEY = "requestId";

  /** What a client may choose: no spaces or control characters to forge log lines with. */
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {
  }

  static void assign(RoutingContext ctx) {
    String offered = ctx.request().getHeader(HEADER);
    String id = offered != null && ACCEPTED.matcher(offered).matches() ? offered : newId();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  /**
   * A random version-4 UUID from the thread's own generator: an id names a request, it guards
   * nothing, and {@code UUID.randomUUID()}'s SecureRandom showed in the cached path's profile.
   */
  private static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
