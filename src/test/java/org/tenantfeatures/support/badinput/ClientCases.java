package org.tenantfeatures.support.badinput;

import static org.tenantfeatures.support.badinput.BadInputPlan.ADMIN_TOKEN;
import static org.tenantfeatures.support.badinput.BadInputPlan.GARBAGE_BYTES;
import static org.tenantfeatures.support.badinput.BadInputPlan.VALID_TOKEN;
import static org.tenantfeatures.support.badinput.Bytes.safePath;
import static org.tenantfeatures.support.badinput.Bytes.toArabicIndic;
import static org.tenantfeatures.support.badinput.Bytes.toFullWidth;
import static org.tenantfeatures.support.badinput.Bytes.utf8;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tenantfeatures.http.Routes;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.badinput.Case.BodyKind;
import org.tenantfeatures.support.badinput.Case.Kind;

/**
 * The cases meant for an HTTP client: a method, a path and query, headers and maybe a body, each
 * part drawn from valid, odd and hostile values. A case the client would refuse to send, or that
 * may end its connection, is serialised to socket bytes here as well (see {@link Case}).
 */
record ClientCases(Draws r, String tenant, Buffer garbage) {

  private static final String[] METHODS = {"GET", "GET", "GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH",
      "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "M-SEARCH", "PURGE", "FOO", "get", "Get", "QUERY", "LINK"};

  private static final String[] ODD_PATHS = {
      "/api/v3/features/tenant/../..", "/api/v3/features/tenant/..", "/api/v3/features/tenant/%2e%2e/%2e%2e",
      "/api/v3/features/tenant/..%2f..%2f", "/api/v3/features/tenant%2f..%2f..", "//api/v3/features/tenant",
      "/api//v3/features/tenant", "/api/v3/features/tenant/", "/api/v3/features/tenant//", "/./api/v3/./features/tenant",
      "/API/V3/FEATURES/TENANT", "/api/v3/features/tenant%20", "/api/v3/features/tenant%00", "/api/v3/features/%74enant",
      "/api/v3/features/tenant;jsessionid=1", "/api/v3/features/tenant%zz", "/%zz", "/%", "/%2", "/%%%", "/%c0%ae%c0%ae/",
      "/%ff%fe%fd", "/api/v3/features/tenant/%2e%2e%5c", "/api/v3/rbac/roles/../../features/tenant",
      "/api/v3/rbac/roles/%2e%2e/%2e%2e/features/tenant", "/api/v3/features", "/api/v3/", "/", "/api/v3/features/tenant/extra",
      "/../../../etc/passwd", "/api/v3/features/tenant/..;/..;/", "/api/v3/features/tenant%23frag", "/api/v3/%2e/features/tenant",
      "/api/v3/features/tenant.json", "/api/v3/features/tenant%3Fraw_sql=true", "/api/v3/features/tenant/*", "*",
      "/api/v3/features/%u0074enant", "/%2F%2F%2F", "/api/v3/features/tenant%09", "/api/v3/features/tenant%0d%0a",
      "/ünïcödé/é", "/api/v3/features/ténant", "/日本語/パス", "/api/v3/features/tenant/😀", "/\u202e/api",
      "/api/v3/features/tenant\\..\\..", "/api\\v3\\features\\tenant"};

  private static final String[] QUERIES = {
      "", "", "", "", "?raw_sql=true&no_prepare=true&statement_cache_size=0", "?a=%zz", "?%", "?&&&===&", "?tenant=%27%20OR%201%3D1%20--",
      "??", "?a=%00", "?;DROP%20TABLE%20feature_flags;--", "?%E6%97%A5=%E8%AA%9E", "?x=%", "?a[]=1&a[]=2",
      "?__proto__[x]=1", "?%%%%", "?raw_sql=SELECT%20*%20FROM%20roles", "?=", "?a=1#frag", "?日本=語"};

  private static final String UUID_SAMPLE = "550e8400-e29b-41d4-a716-446655440000";

  private static final String[] BAD_NAMES = {"a%00b", "%00", "flag%01", "x%0d%0ay", "no_such_flag", "A", "%7f", "a%e2%80%aeb",
      "f".repeat(101), "%c0%80"};


  Case next(int i) {
    List<String> labels = new ArrayList<>();
    HttpMethod method = HttpMethod.valueOf(r.nextInt(15) == 0 ? "X" + r.randomToken(1 + r.nextInt(12)).toUpperCase(Locale.ROOT)
        : r.pick(METHODS));
    if (!method.equals(HttpMethod.GET)) {
      labels.add("method");
    }
    String uri = path(labels) + query(labels);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    authorization(headers, labels);
    tenantId(headers, labels);
    boolean hopByHop = extras(headers, labels);
    BodyKind body = BodyKind.NONE;
    int size = 0;
    int b = r.nextInt(100);
    if (b < 8) {
      body = BodyKind.FIXED;
      size = 1 + r.nextInt(2_000);
    } else if (b < 13) {
      body = BodyKind.CHUNKED;
      size = 1 + r.nextInt(20_000);
    } else if (b < 15) {
      body = r.nextBoolean() ? BodyKind.FIXED : BodyKind.CHUNKED;
      size = 256 * 1024 + r.nextInt(GARBAGE_BYTES - 256 * 1024);
      labels.add("huge body");
    }
    if (body != BodyKind.NONE) {
      labels.add("body " + body.name().toLowerCase(Locale.ROOT));
      if (r.nextBoolean()) {
        headers.add(Map.entry("Content-Type", r.pick("application/json", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=", "text/plain; charset=utf-9", "application/octet-stream", "%%%/%%%")));
      }
    }
    int headerBytes = headers.stream().mapToInt(h -> h.getKey().length() + h.getValue().length() + 4).sum();
    // Invalid at the protocol level: the server answers 400/414/431 and closes, and when it closes
    // while a large body is still arriving, the reset can overtake its answer.
    boolean protocolInvalid = uri.length() > 4_000 || headerBytes > 8_000 || !isPlain(uri, false)
        || headers.stream().anyMatch(h -> !isToken(h.getKey()) || hasControl(h.getValue()));
    boolean plainHeaders = headers.stream().allMatch(h -> isPlain(h.getKey(), false) && isPlain(h.getValue(), true));
    boolean socket = protocolInvalid || !plainHeaders || hopByHop || size > 64 * 1024;
    Buffer raw = socket ? serialize(method, uri, headers, body, size) : null;
    if (socket) {
      labels.add("sent on a socket");
    }
    return new Case(i, Kind.CLIENT, String.join(", ", labels), method, uri, headers, body, size, raw, protocolInvalid, false);
  }

  /** The request as an HTTP/1.1 client would write it, but with any bytes at all: UTF-8 where not ASCII. */
  private Buffer serialize(HttpMethod method, String uri, List<Map.Entry<String, String>> headers, BodyKind body, int size) {
    StringBuilder head = new StringBuilder(method.name()).append(' ').append(uri).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    headers.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
    switch (body) {
      case FIXED -> head.append("Content-Length: ").append(size).append("\r\n");
      case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
      default -> {
      }
    }
    Buffer out = utf8(head.append("\r\n").toString());
    if (body == BodyKind.FIXED) {
      out.appendBuffer(garbage, 0, size);
    } else if (body == BodyKind.CHUNKED) {
      int piece = Math.max(1, size / 7);
      for (int offset = 0; offset < size; offset += piece) {
        int length = Math.min(piece, size - offset);
        out.appendString(Integer.toHexString(length) + "\r\n").appendBuffer(garbage, offset, length).appendString("\r\n");
      }
      out.appendString("0\r\n\r\n");
    }
    return out;
  }

  private String path(List<String> labels) {
    int p = r.nextInt(100);
    if (p < 40) {
      return Routes.FEATURES;
    }
    if (p < 50) {
      return Routes.ROLES;
    }
    if (p < 56) {
      labels.add("write path");
      // Names no flag has, control characters among them: even an admin's write changes nothing.
      return r.pick(Routes.FLAGS, Routes.AUDIT, Routes.FLAGS + "/" + r.pick(BAD_NAMES),
          Routes.FEATURES + "/" + r.pick(BAD_NAMES));
    }
    if (p < 80) {
      labels.add("odd path");
      return r.pick(ODD_PATHS);
    }
    if (p < 92) {
      labels.add("random path");
      StringBuilder s = new StringBuilder();
      int segments = 1 + r.nextInt(8);
      for (int k = 0; k < segments; k++) {
        s.append('/').append(pathSegment(1 + r.nextInt(20)));
      }
      return safePath(s.toString());
    }
    labels.add("long path");
    int length = r.pickInt(500, 2_000, 4_000, 5_000, 9_000, 20_000);
    StringBuilder s = new StringBuilder(Routes.FEATURES).append('/');
    while (s.length() < length) {
      s.append(pathSegment(1 + r.nextInt(30))).append(r.nextInt(4) == 0 ? "/" : "");
    }
    return safePath(s.toString());
  }

  private String pathSegment(int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@%";
    StringBuilder s = new StringBuilder();
    for (int k = 0; k < length; k++) {
      int c = r.nextInt(100);
      if (c < 80) {
        s.append(alphabet.charAt(r.nextInt(alphabet.length())));
      } else if (c < 88) {
        s.append(r.pick("%2e", "%2f", "%5c", "%00", "%zz", "%", "%e2%80%ae", "%c0%af", "..", "//"));
      } else if (c < 95) {
        s.append(r.pick("é", "ü", "日", "😀", "\u0430", "\uff0e", "\u2215"));
      } else {
        s.append(r.pick(" ", "\t", "\"", "<", ">", "\\", "^", "`", "{", "|", "}"));
      }
    }
    return s.toString();
  }

  private String query(List<String> labels) {
    String q = r.pick(QUERIES);
    if (r.nextInt(20) == 0) {
      StringBuilder s = new StringBuilder("?");
      int n = 1 + r.nextInt(600);
      for (int k = 0; k < n; k++) {
        s.append("a").append(k).append('=').append(r.nextInt()).append('&');
      }
      q = s.toString();
    }
    if (!q.isEmpty()) {
      labels.add("query");
    }
    return q;
  }

  private void authorization(List<Map.Entry<String, String>> headers, List<String> labels) {
    int a = r.nextInt(100);
    String value;
    if (a < 38) {
      value = "Bearer " + VALID_TOKEN;
    } else if (a < 45) {
      value = "Bearer " + ADMIN_TOKEN;
      labels.add("admin");
    } else if (a < 50) {
      value = null;
      labels.add("no auth");
    } else {
      labels.add("bad auth");
      value = r.pick(
          "Bearer", "Bearer ", "Bearer  ", "bearer " + VALID_TOKEN, "BEARER " + VALID_TOKEN, "Bearer  " + VALID_TOKEN,
          "Bearer\t" + VALID_TOKEN, "Basic dXNlcjpwYXNz", "Basic " + VALID_TOKEN, "Digest username=\"admin\", realm=\"x\"",
          "Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEF", "Token " + VALID_TOKEN, VALID_TOKEN, "Bearer " + VALID_TOKEN + "x",
          "Bearer " + VALID_TOKEN.toUpperCase(Locale.ROOT), "Bearer " + TestConfig.SCOPED_TOKEN, "Bearer ' OR 1=1 --",
          "Bearer \"" + VALID_TOKEN + "\"", "Bearer " + VALID_TOKEN + ", Bearer other", "", " ", "Bearer null",
          "Bearer " + "A".repeat(100 + r.nextInt(7_000)), "Bearer " + "tökén-ünïcödé-日本", "Bearer \u0430\u0435\u043e",
          "Bearer " + r.randomAscii(1 + r.nextInt(200)), r.randomAscii(1 + r.nextInt(300)));
    }
    if (value != null) {
      headers.add(Map.entry("Authorization", value));
    }
    if (r.nextInt(25) == 0) {
      labels.add("two Authorization");
      headers.add(r.nextInt(headers.size() + 1), Map.entry("Authorization",
          r.nextBoolean() ? "Bearer " + VALID_TOKEN : "Basic Zm9vOmJhcg=="));
    }
  }

  private void tenantId(List<Map.Entry<String, String>> headers, List<String> labels) {
    int t = r.nextInt(100);
    String value;
    if (t < 35) {
      value = r.nextBoolean() ? tenant : r.randomUuid();
    } else if (t < 40) {
      value = null;
      labels.add("no tenant");
    } else {
      labels.add("bad tenant");
      String upper = tenant.toUpperCase(Locale.ROOT);
      value = r.pick(
          "", " ", "not-a-uuid", "' OR 1=1 --", "'; DROP TABLE tenant_features; --", tenant + "' OR '1'='1",
          tenant + "; DELETE FROM roles", "1' UNION SELECT name, true FROM feature_flags --", "{" + tenant + "}",
          "urn:uuid:" + tenant, tenant.replace("-", ""), tenant + "0", tenant.substring(1), tenant.replace('-', '_'),
          "1-2-3-4-5", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
          TestConfig.SCOPED_TENANT, " " + tenant + " ", "\t" + upper, tenant + "\t", toFullWidth(tenant),
          tenant.replace('e', '\u0435'), toArabicIndic(tenant), tenant.replace('0', 'O'), tenant.replace("-", "\u2010"),
          UUID_SAMPLE.substring(0, 23), "%35%35%30%65", "null", "undefined", "*", "[]", "{}", "true", "-1",
          "x".repeat(100 + r.nextInt(7_000)), tenant.repeat(2), tenant + "," + r.randomUuid(), r.randomAscii(1 + r.nextInt(100)),
          "ünïcödé", "日本語", "😀");
    }
    if (value != null) {
      headers.add(Map.entry("X-Tenant-ID", value));
    }
    if (r.nextInt(15) == 0) {
      labels.add("several X-Tenant-ID");
      int n = 1 + r.nextInt(3);
      for (int k = 0; k < n; k++) {
        headers.add(r.nextInt(headers.size() + 1), Map.entry(r.pick("X-Tenant-ID", "x-tenant-id", "X-TENANT-ID"),
            r.pick(tenant, r.randomUuid(), "garbage", "", TestConfig.SCOPED_TENANT)));
      }
    }
  }

  /** Adds other headers; true if one of them is hop-by-hop and so needs a connection of its own. */
  private boolean extras(List<Map.Entry<String, String>> headers, List<String> labels) {
    boolean hopByHop = false;
    int n = r.nextInt(100) < 60 ? 0 : 1 + r.nextInt(3);
    for (int k = 0; k < n; k++) {
      int e = r.nextInt(15);
      switch (e) {
        case 0 -> headers.add(Map.entry("Accept", r.pick("application/xml", "text/html", "*/*;q=garbage", "application/problem+json",
            "image/*", ";;;", "application/json; charset=ebcdic")));
        case 1 -> headers.add(Map.entry("Content-Type", r.pick("application/json", "%%%", "multipart/form-data")));
        case 2 -> headers.add(Map.entry(r.pick("X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded", "X-Real-IP"),
            r.pick("127.0.0.1", "evil.example", "for=unknown;host=evil", "javascript:alert(1)", "::::", "ftp", "")));
        case 3 -> headers.add(Map.entry("Cookie", "session=" + "c".repeat(r.nextInt(3_000))));
        case 4 -> headers.add(Map.entry("Range", r.pick("bytes=0-1", "bytes=-5", "bytes=a-b", "lines=1-2")));
        case 5 -> headers.add(Map.entry(r.pick("If-None-Match", "If-Modified-Since", "Cache-Control"),
            r.pick("*", "\"x\"", "Thu, 01 Jan 1970 00:00:00 GMT", "garbage", "no-cache, max-age=-1")));
        case 6 -> headers.add(Map.entry("Accept-Encoding", r.pick("gzip", "br, deflate", "identity;q=0", "*;q=0", "x-unknown")));
        case 7 -> headers.add(Map.entry("Content-Encoding", r.pick("gzip", "br", "x-unknown")));
        case 8 -> headers.add(Map.entry(r.randomToken(1 + r.nextInt(40)), r.randomAscii(r.nextInt(200))));
        case 9 -> {
          labels.add("many headers");
          int count = 50 + r.nextInt(300);
          for (int h = 0; h < count; h++) {
            headers.add(Map.entry("X-Pad-" + h, r.randomAscii(5 + r.nextInt(40))));
          }
        }
        case 10 -> {
          labels.add("huge header");
          headers.add(Map.entry(r.pick("X-Huge", "X-Tenant-ID", "Authorization", "Cookie"), "h".repeat(8_500 + r.nextInt(30_000))));
        }
        case 11 -> headers.add(Map.entry("X-Unicode", r.pick("ünïcödé", "日本語", "😀", "\u0000\u0001", "\u00ff\u00fe")));
        case 12 -> {
          hopByHop = true;
          headers.add(Map.entry("Connection", r.pick("close", "keep-alive, Upgrade", "garbage", "TE")));
        }
        case 13 -> {
          hopByHop = true;
          headers.add(Map.entry("Upgrade", r.pick("websocket", "foo/1", "HTTP/3.0")));
        }
        default -> {
          hopByHop = true;
          headers.add(Map.entry("Expect", r.pick("100-continue", "garbage", "200-ok")));
        }
      }
    }
    if (n > 0) {
      labels.add("extra headers");
    }
    return hopByHop;
  }

  /** An RFC 9110 token, as a header name must be. */
  private static boolean isToken(String text) {
    return !text.isEmpty() && text.chars().allMatch(c -> c < 0x7f && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0));
  }

  /** A control character other than a tab, which a header value must not contain. */
  private static boolean hasControl(String text) {
    return text.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
  }

  /** Visible ASCII only (and spaces and tabs inside a header value): what the HTTP client sends as it is. */
  private static boolean isPlain(String text, boolean headerValue) {
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      boolean blank = c == ' ' || c == '\t';
      if (c >= 0x7f || (c < 0x21 && !(headerValue && blank))) {
        return false;
      }
    }
    return true;
  }
}
