package org.tenantfeatures.support.badinput;

import static org.tenantfeatures.support.badinput.Bytes.abbreviate;
import static org.tenantfeatures.support.badinput.Bytes.printable;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * One request. A case with {@code raw} bytes goes over a plain socket: every {@link Kind#RAW}
 * case, and every {@link Kind#CLIENT} case the HTTP client would refuse to send or that may end
 * its connection (non-ASCII or over-long URI, header bytes the client rejects, headers over
 * 8 KB, hop-by-hop headers, huge bodies); the rest go through a keep-alive HTTP client.
 * {@code mayClose}: the request is invalid at the protocol level, so closing the connection
 * without an answer is acceptable. {@code mayHang}: the bytes are an incomplete request, so the
 * server may also just wait for more.
 */
public record Case(int index, Kind kind, String label, HttpMethod method, String uri, List<Map.Entry<String, String>> headers,
                   BodyKind body, int bodySize, Buffer raw, boolean mayClose, boolean mayHang) {

  public enum Kind { VALID, CLIENT, RAW }

  public enum BodyKind { NONE, FIXED, CHUNKED }

  boolean head() {
    return HttpMethod.HEAD.equals(method);
  }

  String describe() {
    StringBuilder s = new StringBuilder("#").append(index).append(' ').append(kind).append(" [").append(label).append("] ");
    if (kind == Kind.RAW) {
      s.append(printable(raw.getBytes(0, Math.min(raw.length(), 300)))).append(raw.length() > 300 ? "... (" + raw.length() + " bytes)" : "");
    } else {
      s.append(method.name()).append(' ').append(abbreviate(uri, 200));
      for (Map.Entry<String, String> h : headers) {
        s.append(" | ").append(abbreviate(h.getKey(), 60)).append(": ").append(abbreviate(h.getValue(), 120));
      }
      if (body != BodyKind.NONE) {
        s.append(" | body ").append(body).append(' ').append(bodySize).append(" bytes");
      }
    }
    return s.toString();
  }
}
