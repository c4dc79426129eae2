package org.tenantfeatures.support.badinput;

import static org.tenantfeatures.support.badinput.Bytes.printable;
import static org.tenantfeatures.support.badinput.Bytes.slice;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP/1.x responses in a byte stream, and what was left unreadable: a raw case is read by
 * hand, as no HTTP client would have sent its bytes, and the server may answer it more than once.
 */
record RawResponses(List<Answer> answers, String incomplete) {

  static RawResponses parse(byte[] data, boolean closed, boolean toHead) {
    List<Answer> answers = new ArrayList<>();
    int pos = 0;
    while (pos < data.length) {
      int headEnd = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
      if (headEnd < 0) {
        return new RawResponses(answers, "no end of head in: " + printable(slice(data, pos, data.length, 200)));
      }
      String head = new String(data, pos, headEnd - pos, StandardCharsets.ISO_8859_1);
      String[] lines = head.split("\r\n");
      // "<protocol>/<major>.<minor> <status> <reason>": the server echoes the request's protocol
      // version, which the decoder accepts in any spelling of that form ("H\xa6TP/1.1").
      String[] statusLine = lines[0].split(" ", 3);
      if (!statusLine[0].matches("\\S+/\\d+\\.\\d+") || statusLine.length < 2) {
        return new RawResponses(answers, "not an HTTP status line: " + printable(lines[0].getBytes(StandardCharsets.ISO_8859_1)));
      }
      int status;
      try {
        status = Integer.parseInt(statusLine[1]);
      } catch (NumberFormatException e) {
        return new RawResponses(answers, "bad status line: " + lines[0]);
      }
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int k = 1; k < lines.length; k++) {
        int colon = lines[k].indexOf(':');
        if (colon > 0) {
          headers.putIfAbsent(lines[k].substring(0, colon).trim(), lines[k].substring(colon + 1).trim());
        }
      }
      int bodyStart = headEnd + 4;
      if (status / 100 == 1 && status != 101) {
        pos = bodyStart;
        continue;
      }
      if (toHead && !bodyFollows(data, bodyStart, headers)) {
        answers.add(Answer.of(status, headers.get("Content-Type"), ""));
        pos = bodyStart;
        continue;
      }
      String body;
      if (headers.getOrDefault("Transfer-Encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int p = bodyStart;
        while (true) {
          int lineEnd = indexOf(data, "\r\n".getBytes(StandardCharsets.ISO_8859_1), p);
          if (lineEnd < 0) {
            return new RawResponses(answers, closed ? "truncated chunked body" : "waiting");
          }
          int size = Integer.parseInt(new String(data, p, lineEnd - p, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
          p = lineEnd + 2;
          if (size == 0) {
            int trailerEnd = indexOf(data, "\r\n".getBytes(StandardCharsets.ISO_8859_1), p);
            if (trailerEnd < 0) {
              return new RawResponses(answers, closed ? "truncated chunked body" : "waiting");
            }
            pos = trailerEnd + 2;
            break;
          }
          if (p + size + 2 > data.length) {
            return new RawResponses(answers, closed ? "truncated chunked body" : "waiting");
          }
          out.write(data, p, size);
          p += size + 2;
        }
        body = out.toString(StandardCharsets.UTF_8);
      } else if (headers.containsKey("Content-Length")) {
        int length = Integer.parseInt(headers.get("Content-Length"));
        if (bodyStart + length > data.length) {
          String truncated = "truncated body (" + (data.length - bodyStart) + " of " + length + " bytes)";
          return new RawResponses(answers, closed ? truncated : "waiting");
        }
        body = new String(data, bodyStart, length, StandardCharsets.UTF_8);
        pos = bodyStart + length;
      } else {
        if (!closed) {
          return new RawResponses(answers, "waiting");
        }
        body = new String(data, bodyStart, data.length - bodyStart, StandardCharsets.UTF_8);
        pos = data.length;
      }
      answers.add(Answer.of(status, headers.get("Content-Type"), body));
    }
    return new RawResponses(answers, null);
  }

  /**
   * Whether the answer to a HEAD request has a body after all: the server answers a request it
   * could not decode as if it were a GET, since it never learnt the method.
   */
  private static boolean bodyFollows(byte[] data, int bodyStart, Map<String, String> headers) {
    int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
    if (length == 0 || bodyStart + length > data.length) {
      return false;
    }
    String next = new String(data, bodyStart, Math.min(32, data.length - bodyStart), StandardCharsets.ISO_8859_1);
    return !next.matches("(?s)\\S+/\\d+\\.\\d+ \\d{3}.*");
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
