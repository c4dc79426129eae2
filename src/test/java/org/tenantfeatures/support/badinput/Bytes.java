package org.tenantfeatures.support.badinput;

import static org.tenantfeatures.support.badinput.BadInputPlan.INTERNALS;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * Byte and text helpers the generators, the response parser and the checker share: building
 * request bytes, keeping generated text free of the words the body check looks for, and
 * printing any bytes readably in a failure message.
 */
final class Bytes {

  private Bytes() {
  }

  static Buffer randomBytes(Random r, int length) {
    byte[] bytes = new byte[length];
    r.nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  static Buffer ascii(String s) {
    return Buffer.buffer(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  static Buffer utf8(String s) {
    return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
  }

  static Buffer concat(Buffer a, Buffer b) {
    return Buffer.buffer().appendBuffer(a).appendBuffer(b);
  }

  static byte[] slice(byte[] data, int from, int to, int max) {
    byte[] out = new byte[Math.min(to - from, max)];
    System.arraycopy(data, from, out, 0, out.length);
    return out;
  }

  /** Paths are echoed in 404 details; keep the words the body check looks for out of them. */
  static String safePath(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    for (String word : INTERNALS) {
      if (lower.contains(word)) {
        return safePath(lower.replace(word, "x"));
      }
    }
    return path;
  }

  static String toFullWidth(String s) {
    StringBuilder out = new StringBuilder();
    s.chars().forEach(c -> out.append(c >= '0' && c <= '9' ? (char) ('\uff10' + c - '0')
        : c >= 'a' && c <= 'f' ? (char) ('\uff41' + c - 'a') : (char) c));
    return out.toString();
  }

  static String toArabicIndic(String s) {
    StringBuilder out = new StringBuilder();
    s.chars().forEach(c -> out.append(c >= '0' && c <= '9' ? (char) ('\u0660' + c - '0') : (char) c));
    return out.toString();
  }

  static String printable(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      int v = b & 0xff;
      if (v == '\r') {
        s.append("\\r");
      } else if (v == '\n') {
        s.append("\\n");
      } else if (v >= 0x20 && v < 0x7f) {
        s.append((char) v);
      } else {
        s.append(String.format("\\x%02x", v));
      }
    }
    return s.toString();
  }

  static String abbreviate(String s, int max) {
    if (s == null) {
      return "null";
    }
    String escaped = printable(s.getBytes(StandardCharsets.UTF_8));
    return escaped.length() <= max ? escaped : escaped.substring(0, max) + "...(" + s.length() + " chars)";
  }
}
