package org.tenantfeatures.evaluation;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * A tenant's rollout bucket for a salt: MurmurHash3 x86 32-bit, seed 0, of the UTF-8 bytes of
 * {@code <salt>:<tenant id>}, as an unsigned number, modulo {@link #COUNT}. Anyone can compute it
 * (the same hash as Unleash's stickiness and flagd's {@code fractional}), raising a percentage only
 * adds buckets below it, and two salts split independently.
 */
public final class Bucket {

  /** Buckets 0..9,999: a percentage with two decimals names a whole number of them. */
  public static final int COUNT = 10_000;

  private Bucket() {
  }

  public static int of(String salt, String tenantId) {
    byte[] bytes = (salt + ":" + tenantId).getBytes(StandardCharsets.UTF_8);
    return of(bytes, bytes.length);
  }

  /** The bucket of the first {@code length} bytes of {@code key} (a buffer reused across flags). */
  static int of(byte[] key, int length) {
    return (int) (Integer.toUnsignedLong(MurmurHash3.hash32x86(key, 0, length, 0)) % COUNT);
  }
}
