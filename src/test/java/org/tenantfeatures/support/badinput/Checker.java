package org.tenantfeatures.support.badinput;

import static org.tenantfeatures.support.badinput.BadInputPlan.FLAGS;
import static org.tenantfeatures.support.badinput.BadInputPlan.INTERNALS;
import static org.tenantfeatures.support.badinput.BadInputPlan.REQUESTS;
import static org.tenantfeatures.support.badinput.BadInputPlan.ROLES;
import static org.tenantfeatures.support.badinput.Bytes.abbreviate;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.client.TenantIds;
import org.tenantfeatures.http.Routes;
import org.tenantfeatures.http.problem.ProblemResponses;
import org.tenantfeatures.support.badinput.Case.Kind;

/**
 * Applies the rules to every answer and keeps the counts and the violations: no 5xx (but the one
 * 501 Vert.x sends for an unsupported HTTP version, see {@code checkAnswer}), no internals in a
 * body, every 4xx a complete problem, every 200 a complete answer, the valid requests answered
 * with the complete map or roles; a close only where the request allows it, silence only where
 * the request is incomplete. Violations are collected, not thrown, so that a run reports them all.
 */
public final class Checker {

  private static final Logger log = LoggerFactory.getLogger(Checker.class);

  private final JsonObject expected;
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final AtomicInteger silent = new AtomicInteger();
  private final AtomicInteger clientRefused = new AtomicInteger();
  private final AtomicInteger validSent = new AtomicInteger();
  private final AtomicInteger validOk = new AtomicInteger();
  private final AtomicInteger tolerated501 = new AtomicInteger();
  private final Map<String, Integer> byKindAndStatus = new ConcurrentHashMap<>();
  private final Map<String, Integer> byLabelAndStatus = new ConcurrentHashMap<>();
  private final Map<String, Integer> violationKinds = new ConcurrentHashMap<>();
  /** One request per kind of failure (closed, silent, ...), for the log. */
  private final Map<String, String> failureSamples = new ConcurrentHashMap<>();

  private final String tenantId;

  public Checker(JsonObject expected, String tenantId) {
    this.expected = expected;
    this.tenantId = tenantId;
  }

  /** Cases that finished: answered, closed without an answer, or left silent. */
  public int finished() {
    return answered.get() + closed.get() + silent.get();
  }

  /** What went wrong, one entry per broken rule with the request that broke it. */
  public List<String> violations() {
    return violations;
  }

  /** Valid requests sent, and those answered with the complete map or roles. */
  public int validSent() {
    return validSent.get();
  }

  public int validOk() {
    return validOk.get();
  }

  /** The map of a tenant without overrides: every flag false. */
  private JsonObject allFalse() {
    JsonObject map = new JsonObject();
    expected.fieldNames().forEach(flag -> map.put(flag, false));
    return map;
  }

  void violation(Case c, String what) {
    // Grouped by what went wrong (and for raw cases by their shape); client cases' labels vary too much.
    int colon = what.indexOf(':');
    String kind = c.kind() + (c.kind() == Kind.RAW ? " [" + c.label() + "] " : " ") + (colon < 0 ? what : what.substring(0, colon));
    violationKinds.merge(kind, 1, Integer::sum);
    violations.add(what + "\n      request: " + c.describe());
  }

  void check(Case c, List<Answer> answers) {
    if (c.kind() == Kind.VALID) {
      validSent.incrementAndGet();
    }
    Answer first = answers.get(0);
    if (first.failure() == null) {
      answered.incrementAndGet();
      for (Answer a : answers) {
        count(c, a.failure() == null ? Integer.toString(a.status()) : "unreadable");
        if (a.failure() != null) {
          // A complete answer followed by bytes that are none: the server wrote something broken.
          violation(c, a.failure());
        } else {
          checkAnswer(c, a);
        }
      }
      return;
    }
    String failure = first.failure();
    failureSamples.putIfAbsent(c.kind() + " " + abbreviate(failure, 60), c.describe());
    if (failure.startsWith("client refused")) {
      // Nothing reached the server, so the case tested nothing: it belongs on the socket.
      count(c, "refused");
      clientRefused.incrementAndGet();
      closed.incrementAndGet();
      violation(c, "the HTTP client refused to send it (generate it as socket bytes): " + failure);
      return;
    }
    if (failure.startsWith("silent") || failure.startsWith("stuck") || failure.contains("timeout period")) {
      count(c, "silent");
      silent.incrementAndGet();
      if (!c.mayHang() || failure.startsWith("stuck")) {
        violation(c, "no answer and no close: " + failure);
      }
      return;
    }
    count(c, "closed");
    closed.incrementAndGet();
    if (!c.mayClose() || failure.startsWith("unreadable")) {
      violation(c, "no answer: " + failure);
    }
  }

  private void count(Case c, String outcome) {
    byKindAndStatus.merge(c.kind() + " " + outcome, 1, Integer::sum);
    if (c.kind() == Kind.RAW) {
      byLabelAndStatus.merge(c.label() + " -> " + outcome, 1, Integer::sum);
    }
  }

  private void checkAnswer(Case c, Answer a) {
    int status = a.status();
    String body = a.body() == null ? "" : a.body();
    String excerpt = abbreviate(body, 300);
    if (status == 501 && c.raw() != null && unsupportedVersion(c.raw()) && body.isEmpty()) {
      // Vert.x itself (Http1xServerRequestHandler) answers a well-formed request line with an HTTP
      // version other than 1.0 and 1.1 with an empty 501 and closes, before any handler of ours
      // runs; the service has no hook there. Tolerated for exactly that shape, and counted.
      tolerated501.incrementAndGet();
      return;
    }
    if (status >= 500) {
      violation(c, "5xx: " + status + " " + excerpt);
    }
    String lower = body.toLowerCase(Locale.ROOT);
    for (String word : INTERNALS) {
      if (lower.contains(word)) {
        violation(c, "body names an internal (" + word + "): " + status + " " + excerpt);
      }
    }
    // A HEAD answer has no body, unless the decoder failed before it learnt the method.
    boolean bodiless = c.head() && body.isEmpty();
    if (c.kind() == Kind.VALID) {
      boolean roles = c.uri().startsWith(Routes.ROLES);
      boolean ok = status == 200 && (roles ? isJsonArray(body, ROLES) : isJsonObject(body, expected));
      if (ok) {
        validOk.incrementAndGet();
      } else {
        violation(c, "valid request not answered with the complete " + (roles ? "roles" : "map") + ": " + status + " " + excerpt);
      }
      return;
    }
    if (status >= 400 && status < 500) {
      if (a.contentType() == null || !a.contentType().startsWith(ProblemResponses.CONTENT_TYPE)) {
        violation(c, status + " with Content-Type " + a.contentType() + ": " + excerpt);
        return;
      }
      if (bodiless) {
        return;
      }
      try {
        JsonObject problem = new JsonObject(body);
        if (!(problem.getValue("type") instanceof String type) || !type.startsWith("/problems/")
            || !(problem.getValue("title") instanceof String title) || title.isBlank()
            || !(problem.getValue("detail") instanceof String detail) || detail.isBlank()
            || !Integer.valueOf(status).equals(problem.getValue("status"))) {
          violation(c, status + " problem without type/title/detail or with another status: " + excerpt);
        }
      } catch (DecodeException | ClassCastException e) {
        violation(c, status + " problem body is not a JSON object: " + excerpt);
      }
    } else if (status == 200) {
      if (bodiless) {
        return;
      }
      // A 200 to a bad request is fine when the request was good enough; its answer must still be
      // complete, and the map of the tenant it named: the seeded one's, or all false for any other.
      if (isCompleteMap(body) && c.kind() == Kind.CLIENT && c.raw() == null) {
        boolean seeded = c.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("X-Tenant-ID")).findFirst()
            // Surrounding spaces and tabs are no part of a header value (RFC 9110 §5.5).
            .flatMap(h -> TenantIds.canonical(h.getValue().strip())).map(tenantId::equals)
            .orElse(false);
        if (!isJsonObject(body, seeded ? expected : allFalse())) {
          violation(c, "200 with another tenant's map: " + excerpt);
        }
      } else if (!isCompleteMap(body) && !isRolesAnswer(body) && !isCatalogue(body) && !isEmptyAudit(body)) {
        violation(c, "200 with an incomplete or unknown body: " + excerpt);
      }
    } else if (status < 500) {
      violation(c, "unexpected status " + status + ": " + excerpt);
    }
  }

  /** Whether the request line ends in a version of the form the decoder accepts, but not HTTP/1.0 or HTTP/1.1. */
  static boolean unsupportedVersion(Buffer raw) {
    String text = raw.getString(0, Math.min(raw.length(), 16_384), "ISO-8859-1");
    int end = text.indexOf('\n');
    String line = (end < 0 ? text : text.substring(0, end)).strip();
    String version = line.substring(line.lastIndexOf(' ') + 1);
    return line.split("\\s+").length == 3 && version.matches("\\S+/\\d+\\.\\d+")
        && !version.equals("HTTP/1.0") && !version.equals("HTTP/1.1");
  }

  private boolean isCompleteMap(String body) {
    try {
      JsonObject map = new JsonObject(body);
      return map.fieldNames().equals(expected.fieldNames())
          && map.getMap().values().stream().allMatch(v -> v instanceof Boolean);
    } catch (DecodeException e) {
      return false;
    }
  }

  /** The flag catalogue as seeded: every flag, with its description untouched. */
  private static boolean isCatalogue(String body) {
    try {
      JsonArray flags = new JsonObject(body).getJsonArray("flags");
      return flags != null && flags.size() == FLAGS && flags.stream().map(JsonObject.class::cast)
          .allMatch(f -> f.getString("description", "").startsWith("test flag "));
    } catch (DecodeException | ClassCastException e) {
      return false;
    }
  }

  /** An audit page of nothing: no case may have written anything. */
  private static boolean isEmptyAudit(String body) {
    return isJsonObject(body, new JsonObject().put("entries", new JsonArray()).putNull("next"));
  }

  private static boolean isRolesAnswer(String body) {
    return isJsonArray(body, ROLES) || isJsonArray(body, new JsonArray());
  }

  private static boolean isJsonObject(String body, JsonObject expected) {
    try {
      return new JsonObject(body).equals(expected);
    } catch (DecodeException e) {
      return false;
    }
  }

  private static boolean isJsonArray(String body, JsonArray expected) {
    try {
      return new JsonArray(body).equals(expected);
    } catch (DecodeException e) {
      return false;
    }
  }

  /** The failure message: how many, of which kinds, the first few in full, and how to replay. */
  public String summary(long seed) {
    StringBuilder s = new StringBuilder().append(violations.size()).append(" violations (seed ").append(seed)
        .append("; replay with -Dbadinput.seed=").append(seed).append(")\nby kind: ").append(new TreeMap<>(violationKinds));
    synchronized (violations) {
      violations.stream().limit(15).forEach(v -> s.append("\n  - ").append(abbreviate(v, 1_000)));
    }
    return s.toString();
  }

  public void report(long seed, long millis) {
    log.info("BadInputIT: {} cases in {} ms (seed {}): {} answered, {} closed without an answer, {} silent (incomplete request), "
            + "{} refused by the client; {} of {} valid requests answered in full; {} tolerated 501 (unsupported HTTP version); "
            + "{} violations",
        REQUESTS, millis, seed, answered.get(), closed.get() - clientRefused.get(), silent.get(), clientRefused.get(),
        validOk.get(), validSent.get(), tolerated501.get(), violations.size());
    log.info("BadInputIT outcomes by kind: {}", new TreeMap<>(byKindAndStatus));
    log.info("BadInputIT raw-socket outcomes: {}", new TreeMap<>(byLabelAndStatus));
    failureSamples.forEach((k, v) -> log.info("BadInputIT failure sample: {} <- {}", k, abbreviate(v, 400)));
    if (!violationKinds.isEmpty()) {
      log.warn("BadInputIT violations by kind: {}", new TreeMap<>(violationKinds));
    }
    synchronized (violations) {
      violations.stream().limit(40).forEach(v -> log.warn("BadInputIT violation: {}", v));
    }
  }
}
