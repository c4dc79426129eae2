package org.tenantfeatures.support.badinput;

import static org.tenantfeatures.support.badinput.Bytes.safePath;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;

/**
 * Every random choice the case generators make, drawn from the one {@link Random} they share:
 * the same seed gives the same draws in the same order, so the same cases. Nothing here may
 * use another source of randomness ({@code UUID.randomUUID()}, say), or a replay breaks.
 */
final class Draws {

  private final Random r;

  Draws(Random r) {
    this.r = r;
  }

  int nextInt(int bound) {
    return r.nextInt(bound);
  }

  int nextInt() {
    return r.nextInt();
  }

  boolean nextBoolean() {
    return r.nextBoolean();
  }

  @SafeVarargs
  final <T> T pick(T... options) {
    return options[r.nextInt(options.length)];
  }

  int pickInt(int... options) {
    return options[r.nextInt(options.length)];
  }

  Buffer randomBytes(int length) {
    return Bytes.randomBytes(r, length);
  }

  Buffer randomBytesWithout(int length, byte... excluded) {
    byte[] bytes = new byte[length];
    for (int k = 0; k < length; k++) {
      byte b;
      do {
        b = (byte) r.nextInt(256);
      } while (contains(excluded, b));
      bytes[k] = b;
    }
    // Random bytes could spell a word the body check looks for; they never do in practice,
    // but a lower-case 'x' in the middle of every run of letters makes sure.
    return Buffer.buffer(safePath(new String(bytes, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));
  }

  String randomAscii(int length) {
    StringBuilder s = new StringBuilder();
    for (int k = 0; k < length; k++) {
      s.append((char) (0x21 + r.nextInt(0x5e)));
    }
    return safePath(s.toString());
  }

  String randomToken(int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
    StringBuilder s = new StringBuilder();
    for (int k = 0; k < length; k++) {
      s.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return safePath(s.toString());
  }

  /** A tenant id from the seed (never {@code UUID.randomUUID()}, which would break the replay). */
  String randomUuid() {
    return new UUID(r.nextLong(), r.nextLong()).toString();
  }

  private static boolean contains(byte[] bytes, byte b) {
    for (byte x : bytes) {
      if (x == b) {
        return true;
      }
    }
    return false;
  }
}
