package org.tenantfeatures.support.badinput;

import static org.tenantfeatures.support.badinput.BadInputPlan.ADMIN_TOKEN;
import static org.tenantfeatures.support.badinput.BadInputPlan.VALID_TOKEN;
import static org.tenantfeatures.support.badinput.Bytes.ascii;
import static org.tenantfeatures.support.badinput.Bytes.concat;
import static org.tenantfeatures.support.badinput.Bytes.safePath;
import static org.tenantfeatures.support.badinput.Bytes.toArabicIndic;
import static org.tenantfeatures.support.badinput.Bytes.toFullWidth;
import static org.tenantfeatures.support.badinput.Bytes.utf8;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.tenantfeatures.http.Routes;
import org.tenantfeatures.support.badinput.Case.BodyKind;
import org.tenantfeatures.support.badinput.Case.Kind;

/**
 * The cases only a plain socket can send: garbage and malformed request lines, broken headers and
 * framing, smuggling shapes, uploads, TLS on the plain port, and valid requests with a byte
 * changed. Each says whether the server may close without an answer, or wait for more.
 */
record RawCases(Draws r, String tenant) {

  Case next(int i) {
    String auth = "Authorization: Bearer " + VALID_TOKEN + "\r\n";
    String tid = "X-Tenant-ID: " + tenant + "\r\n";
    String host = "Host: 127.0.0.1\r\n";
    String valid = "GET " + Routes.FEATURES + " HTTP/1.1\r\n" + host + auth + tid;
    int c = r.nextInt(44);
    String admin = "Authorization: Bearer " + ADMIN_TOKEN + "\r\n";
    return switch (c) {
      case 35 -> {
        // A file upload, anonymous or as an admin, to any route that takes a body: never stored.
        String boundary = "b" + r.randomToken(10);
        String part = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"" + r.pick("x.txt", "../../x",
            "/etc/passwd", "a\u0000b") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + r.randomAscii(1 + r.nextInt(4_000))
            + "\r\n--" + boundary + "--\r\n";
        yield rawCase(i, "multipart upload", r.pick("POST " + Routes.FLAGS, "PATCH " + Routes.FLAGS + "/flag_001",
            "PUT " + Routes.FEATURES + "/flag_001", "PUT /diagnostics/sql-trace", "POST " + Routes.FEATURES)
            + " HTTP/1.1\r\n" + host + (r.nextBoolean() ? admin : "") + tid + "Content-Type: multipart/form-data; boundary="
            + boundary + "\r\nContent-Length: " + part.length() + "\r\nConnection: close\r\n\r\n" + part, true, false);
      }
      case 36 -> {
        // JSON an admin may send, with control characters where names and descriptions go.
        // Each is refused by every route it goes to: each has a description with a control
        // character, as a PATCH would write any valid one (or "" for none).
        String body = r.pick("{\"name\":\"a\\u0000b\",\"description\":\"x\\u0000\"}", "{\"name\":\"ok_name\",\"description\":\"x\\u0000y\"}",
            "{\"description\":\"\\u0000\"}", "{\"description\":\"\\u001b[31m\"}", "{\"enabled\":\"\\u0000\",\"description\":\"\\u0000\"}",
            "{\"name\":\"ok\\u0007name\",\"description\":\"\\u0007\"}");
        yield rawCase(i, "control characters in JSON", r.pick("POST " + Routes.FLAGS, "PATCH " + Routes.FLAGS
            + "/flag_001", "PUT " + Routes.FEATURES + "/flag_001") + " HTTP/1.1\r\n" + host + admin + tid
            + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body,
            true, false);
      }
      case 37 -> rawCase(i, "HTTP/1.0 with Transfer-Encoding", "POST " + Routes.FLAGS + " HTTP/1.0\r\n" + host + admin
          + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
          + "GET " + Routes.FLAGS + " HTTP/1.1\r\n" + host + admin + "\r\n", true, false);
      case 38 -> rawCase(i, "made-up method", "X" + r.randomToken(1 + r.nextInt(20)).toUpperCase(Locale.ROOT) + " "
          + r.pick(Routes.FEATURES, Routes.FLAGS, "/x") + " HTTP/1.1\r\n" + host + auth + tid
          + "Connection: close\r\n\r\n", true, false);
      case 0 -> rawCase(i, "garbage line", r.randomAscii(1 + r.nextInt(200)) + "\r\n\r\n", true, false);
      case 1 -> rawCase(i, "binary garbage", concat(r.randomBytes(1 + r.nextInt(300)), ascii("\r\n\r\n")), true, false);
      case 2 -> rawCase(i, "HTTP/0.9", "GET " + Routes.FEATURES + "\r\n", true, false);
      case 3 -> rawCase(i, "malformed request line", r.pick("GET\r\n\r\n", "GET / HTTP/1.1 extra\r\n" + host + "\r\n",
          "GET  HTTP/1.1\r\n" + host + "\r\n", "/ HTTP/1.1\r\n" + host + "\r\n", "GET / HTTP/1.2\r\n" + host + "\r\n",
          "GET / HTTP/2.0\r\n" + host + "\r\n", "GET / HTTP/10.1\r\n" + host + "\r\n", "GET / http/1.1\r\n" + host + "\r\n",
          "GET / FOO/1.1\r\n" + host + "\r\n", "G\u0000ET / HTTP/1.1\r\n" + host + "\r\n", "GET /\u0000 HTTP/1.1\r\n" + host + "\r\n",
          "GET\t/\tHTTP/1.1\r\n" + host + "\r\n", "GET / HTTP/1.1\n" + host + "\n", "GET / HTTP/1.1\r" + host + "\r\r\n",
          "GET /a b c d HTTP/1.1\r\n" + host + "\r\n", " GET / HTTP/1.1\r\n" + host + "\r\n", "GET / HTTP/\r\n\r\n",
          "GET / HTTP/1.\r\n\r\n", "GET / HTTP/1.1.1\r\n\r\n", "get / http/1.1\r\n\r\n", "\u00ff\u00fe / HTTP/1.1\r\n\r\n",
          "GET / HTTP/1.1 \r\n" + host + "\r\n"), true, false);
      case 4 -> rawCase(i, "long request line", "GET " + Routes.FEATURES + "/" + "a".repeat(r.pickInt(4_100, 8_200, 70_000))
          + " HTTP/1.1\r\n" + host + "\r\n", true, false);
      case 5 -> rawCase(i, "header > 8 KB", valid + "X-Big: " + "b".repeat(8_200 + r.nextInt(60_000)) + "\r\n\r\n", true, false);
      case 6 -> {
        StringBuilder s = new StringBuilder(valid);
        int count = 300 + r.nextInt(700);
        for (int k = 0; k < count; k++) {
          s.append("X-Pad-").append(k).append(": ").append(r.randomToken(20)).append("\r\n");
        }
        yield rawCase(i, "headers > 8 KB in total", s.append("\r\n").toString(), true, false);
      }
      case 7 -> rawCase(i, "invalid header", "GET " + Routes.FEATURES + " HTTP/1.1\r\n" + host + auth + r.pick(
          "X Tenant-ID: " + tenant + "\r\n", "X-Tenant-ID : " + tenant + "\r\n", ": novalue\r\n", "NoColonHeader\r\n",
          "X-Tenant-ID: " + tenant + "\u0000\r\n", "X-Tenant-ID: a\rb\r\n", "X-Tenant-ID: \r\n " + tenant + "\r\n",
          "X-Tenant-ID:" + tenant + "\r\n\tfolded\r\n", "X-T\u00e9nant-ID: " + tenant + "\r\n", "X-Tenant-ID\u0000: x\r\n",
          "\u0001\u0002: \u0003\r\n", "X-Tenant-ID: \u007f\r\n", "(X): y\r\n", "X-Tenant-ID:: " + tenant + "\r\n") + "\r\n", true, false);
      case 8 -> rawCase(i, "non-UTF-8 header bytes", concat(ascii("GET " + Routes.FEATURES + " HTTP/1.1\r\n" + host + auth
          + r.pick("X-Tenant-ID: ", "Authorization: Bearer ", "X-Other: ")), concat(pickBytes(), ascii("\r\n\r\n"))), true, false);
      case 9 -> rawCase(i, "UTF-8 header value", concat(ascii("GET " + Routes.FEATURES + " HTTP/1.1\r\n" + host + auth
          + "X-Tenant-ID: "), concat(utf8(r.pick(toFullWidth(tenant), tenant.replace('e', '\u0435'), toArabicIndic(tenant), "日本語")),
          ascii("\r\n\r\n"))), true, false);
      case 10 -> rawCase(i, "missing Host (HTTP/1.1)", "GET " + Routes.FEATURES + " HTTP/1.1\r\n" + auth + tid
          + "Connection: close\r\n\r\n", true, false);
      case 11 -> rawCase(i, "bad Host", "GET " + Routes.FEATURES + " HTTP/1.1\r\n" + r.pick("Host: :::::\r\n",
          "Host: a b\r\n", "Host: evil.example:99999\r\n", "Host: [::1\r\n", "Host: \r\n", "Host: 127.0.0.1\r\nHost: evil.example\r\n",
          "Host: @evil\r\n", "Host: 127.0.0.1:-1\r\n") + auth + tid + "Connection: close\r\n\r\n", true, false);
      case 12 -> rawCase(i, "bad Content-Length", valid + "Content-Length: " + r.pick("-1", "abc", "1e3", "99999999999999999999",
          " 5", "5, 6", "0x10", "+5", "") + "\r\nConnection: close\r\n\r\nhello", true, false);
      case 13 -> rawCase(i, "two Content-Length", valid + "Content-Length: 5\r\nContent-Length: 7\r\nConnection: close\r\n\r\nhello!!",
          true, false);
      case 14 -> rawCase(i, "Content-Length and chunked", valid + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"
          + "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n", true, false);
      case 15 -> rawCase(i, "Content-Length larger than the body", valid + "Content-Length: " + (100 + r.nextInt(1_000_000))
          + "\r\nConnection: close\r\n\r\nshort", true, true);
      case 16 -> rawCase(i, "Content-Length smaller than the body", valid + "Content-Length: 2\r\n\r\nhello world "
          + r.randomAscii(r.nextInt(100)) + "\r\n\r\n", true, false);
      case 17 -> rawCase(i, "broken chunked body", valid + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + r.pick(
          "zz\r\nhello\r\n0\r\n\r\n", "ffffffffffffffffff\r\nhello\r\n0\r\n\r\n", "-5\r\nhello\r\n0\r\n\r\n",
          "5\r\nhelloEXTRA\r\n0\r\n\r\n", "5;ext=\"\u0000\"\r\nhello\r\n0\r\n\r\n", "5\r\nhel", "\r\n\r\n\r\n"), true, true);
      case 18 -> rawCase(i, "odd Transfer-Encoding", valid + "Transfer-Encoding: " + r.pick("gzip, chunked", "chunked, gzip",
          "xchunked", "chunked\r\nTransfer-Encoding: chunked", " chunked", "identity", "CHUNKED")
          + "\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n", true, true);
      case 19 -> rawCase(i, "CONNECT", r.pick("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n",
          "CONNECT evil.example:80 HTTP/1.1\r\n\r\n", "CONNECT / HTTP/1.1\r\n" + host + "\r\n"), true, false);
      case 20 -> rawCase(i, "OPTIONS *", "OPTIONS * HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", true, false);
      case 21 -> rawCase(i, "absolute-form", "GET " + r.pick("http://127.0.0.1" + Routes.FEATURES,
          "http://evil.example" + Routes.FEATURES, "https://127.0.0.1:1" + Routes.FEATURES,
          "http://[::1" + Routes.FEATURES, "http:" + Routes.FEATURES, "ftp://x/y", "//evil/x",
          "http://user:pw@127.0.0.1" + Routes.FEATURES, "mailto:a@b", "javascrip:x")
          + " HTTP/1.1\r\n" + host + auth + tid + "Connection: close\r\n\r\n", true, false);
      case 22 -> rawCase(i, "raw odd path", concat(ascii("GET "), concat(pickPathBytes(), ascii(" HTTP/1.1\r\n" + host + auth + tid
          + "Connection: close\r\n\r\n"))), true, false);
      case 23 -> rawCase(i, "pipelined valid + garbage", valid + "\r\n" + r.randomAscii(1 + r.nextInt(100)) + "\r\n\r\n", true, false);
      case 24 -> rawCase(i, "HTTP/1.0 valid", "GET " + Routes.FEATURES + " HTTP/1.0\r\n" + auth + tid + "\r\n", true, false);
      case 25 -> rawCase(i, "only line breaks", "\r\n\r\n\r\n", true, true);
      case 26 -> rawCase(i, "TLS ClientHello on the plain port", concat(Buffer.buffer(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5,
          0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03}), r.randomBytes(160)), true, true);
      case 27 -> rawCase(i, "NUL bytes", concat(Buffer.buffer(new byte[64 + r.nextInt(512)]), ascii("\r\n\r\n")), true, true);
      case 28 -> rawCase(i, "raw unusual method", r.pick("BREW", "PRI-ISH", "M-SEARCH", "DELETE", "TRACE", "A".repeat(300),
          "G-E-T", "GET\u0000", "\u00c7ET") + " " + Routes.FEATURES + " HTTP/1.1\r\n" + host + auth + tid
          + "Connection: close\r\n\r\n", true, false);
      case 29 -> rawCase(i, "header without value terminator", valid + "X-Half: value", true, true);
      case 30 -> rawCase(i, "LF-only line ends", "GET " + Routes.FEATURES + " HTTP/1.1\n" + "Host: 127.0.0.1\n"
          + "Authorization: Bearer " + VALID_TOKEN + "\nX-Tenant-ID: " + tenant + "\nConnection: close\n\n", true, false);
      case 31 -> rawCase(i, "request smuggling shape", "POST " + Routes.FEATURES + " HTTP/1.1\r\n" + host
          + "Content-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/v3/rbac/roles HTTP/1.1\r\nX: x", true, true);
      case 32 -> rawCase(i, "huge body to a GET", concat(ascii(valid + "Connection: close\r\nContent-Length: 4000000\r\n\r\n"),
          Buffer.buffer(new byte[4_000_000])), true, false);
      case 33 -> rawCase(i, "Expect: 100-continue", valid + "Expect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n",
          true, true);
      case 34 -> rawCase(i, "header name with UTF-8", concat(ascii("GET / HTTP/1.1\r\n" + host), concat(utf8("Tënant-日本: x\r\n"),
          ascii("\r\n"))), true, false);
      default -> {
        // The valid request with one byte of it replaced by a random one.
        byte[] bytes = (valid + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        int flips = 1 + r.nextInt(3);
        for (int k = 0; k < flips; k++) {
          bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
        }
        yield rawCase(i, "mutated valid request", Buffer.buffer(bytes), true, true);
      }
    };
  }

  private Case rawCase(int i, String label, String text, boolean mayClose, boolean mayHang) {
    return rawCase(i, label, Buffer.buffer(text.getBytes(StandardCharsets.ISO_8859_1)), mayClose, mayHang);
  }

  private Case rawCase(int i, String label, Buffer bytes, boolean mayClose, boolean mayHang) {
    return new Case(i, Kind.RAW, label, null, null, List.of(), BodyKind.NONE, 0, bytes, mayClose, mayHang);
  }

  private Buffer pickBytes() {
    return switch (r.nextInt(5)) {
      case 0 -> Buffer.buffer(new byte[] {(byte) 0xc0, (byte) 0xaf, (byte) 0xff, (byte) 0xfe});
      case 1 -> Buffer.buffer(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80});
      case 2 -> Buffer.buffer(new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
      case 3 -> concat(ascii(tenant.substring(0, 10)), Buffer.buffer(new byte[] {(byte) 0x80, (byte) 0x81}));
      default -> r.randomBytesWithout(1 + r.nextInt(100), (byte) '\r', (byte) '\n');
    };
  }

  private Buffer pickPathBytes() {
    return switch (r.nextInt(6)) {
      case 0 -> utf8(r.pick("/ünïcödé", "/日本語", "/api/v3/features/ténant", "/😀"));
      case 1 -> concat(ascii("/api/v3/features/"), Buffer.buffer(new byte[] {(byte) 0xc0, (byte) 0xae, (byte) 0xff}));
      case 2 -> ascii(r.pick("/api/v3/features/tenant/../..", "/%zz", "/%", "/api/v3/features/tenant%00", "/\\..\\..",
          "/api/v3/features/tenant#x", "/api/v3/features/tenant?%", "/?", "/#", "/;", "/..", "/...."));
      case 3 -> ascii("/" + "/".repeat(1 + r.nextInt(50)) + "api/v3/features/tenant");
      case 4 -> concat(ascii("/"), r.randomBytesWithout(1 + r.nextInt(80), (byte) ' ', (byte) '\r', (byte) '\n'));
      default -> ascii(safePath(Routes.FEATURES + "/" + r.randomToken(1 + r.nextInt(100))));
    };
  }
}
