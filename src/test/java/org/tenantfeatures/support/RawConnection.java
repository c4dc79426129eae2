package org.tenantfeatures.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A plain blocking TCP connection to the service on 127.0.0.1, for what an HTTP client will not
 * do: hold a connection open without a request, send a request head a byte at a time, or send
 * framing no client would write and read what comes back, up to the close.
 *
 * <p>{@code BadInputIT}'s raw cases go through {@code support.badinput.RawExchange} instead: a
 * Vert.x socket, as that test runs thousands of them concurrently on an event loop and parses
 * every answer. The two wait differently (here: until 2 s of silence; there: a short quiet after
 * a complete answer), and each test's bounds depend on its own.
 */
public final class RawConnection implements AutoCloseable {

  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] \\d{3} ");

  private final long openedNanos = System.nanoTime();
  private final Socket socket;

  /** Opens a connection whose reads give up after 20 ms, so that {@link #closedByServer()} only looks. */
  public RawConnection(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(20);
  }

  /** Whether the server has closed it (reads end of stream or the connection was reset). */
  public boolean closedByServer() {
    try {
      InputStream in = socket.getInputStream();
      while (true) {
        int b = in.read();
        if (b < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException open) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** Writes one byte; false if the connection is gone. */
  public boolean trySend(byte b) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(b);
      out.flush();
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  /** Milliseconds since it was opened. */
  public long ageMs() {
    return (System.nanoTime() - openedNanos) / 1_000_000;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** What came back from {@link #exchange}, and whether the server closed the connection. */
  public record Reply(String text, boolean closed) {
    /** Status lines: a body has no line end, so the next status line may follow it on its line. */
    public long responses() {
      return STATUS_LINE.matcher(text).results().count();
    }
  }

  /** Sends raw bytes and reads until the server closes or 2 s pass without a byte. */
  public static Reply exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(2_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      StringBuilder got = new StringBuilder();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
          got.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
        return new Reply(got.toString(), true);
      } catch (SocketTimeoutException stillOpen) {
        return new Reply(got.toString(), false);
      } catch (IOException reset) {
        return new Reply(got.toString(), true);
      }
    }
  }
}
