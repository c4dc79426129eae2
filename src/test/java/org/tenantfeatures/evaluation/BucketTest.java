package org.tenantfeatures.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tenantfeatures.tools.loadgen.ReferenceEvaluator;

/**
 * The rollout bucket is a public contract (clients and other SDKs must reproduce it), so it is
 * pinned by vectors computed outside this code base: the hashes below come from a separate
 * MurmurHash3 x86_32 written in Python, itself checked against the algorithm's published vectors.
 */
class BucketTest {

  @Test
  @DisplayName("Guava's murmur3_32_fixed and the reference evaluator's own give the algorithm's published vectors")
  void referenceHashMatchesPublishedVectors() {
    // If the second implementation were wrong, agreeing with it would prove nothing.
    assertThat(guavaHash("")).isZero();
    assertThat(guavaHash("hello")).isEqualTo(0x248bfa47);
    assertThat(guavaHash("The quick brown fox jumps over the lazy dog")).isEqualTo(0x2e4ff723);
    for (String text : new String[] {"", "hello", "The quick brown fox jumps over the lazy dog", "café", "a", "ab", "abc"}) {
      assertThat(ReferenceEvaluator.murmur3x86x32(text.getBytes(StandardCharsets.UTF_8))).as(text).isEqualTo(guavaHash(text));
    }
  }

  @ParameterizedTest(name = "bucket({0}, {1}) = {3} (hash {2})")
  @CsvSource({
      "dark-mode,   3f2504e0-4f89-41d3-9a0c-0305e82c3301, 1e39bf27, 967",
      "x,           y,                                    5395a42b, 5819",
      // Top bit set: read signed, these would give a negative remainder or a different bucket.
      "new-billing, 00000000-0000-0000-0000-000000000000, 92edadc1, 49",
      "a,           b,                                    a2446843, 2131",
      "top,         bit,                                  eccb75e3, 6963"})
  @DisplayName("fixed vectors: hash of UTF-8 '<salt>:<tenant>' as unsigned, modulo 10,000")
  void knownVectors(String salt, String tenant, String hexHash, int expectedBucket) {
    long hash = Long.parseLong(hexHash, 16);
    assertThat(guavaHash(salt + ":" + tenant) & 0xFFFFFFFFL).isEqualTo(hash);
    assertThat(hash % 10_000).isEqualTo(expectedBucket);
    assertThat(Bucket.of(salt, tenant)).isEqualTo(expectedBucket);
    assertThat(ReferenceEvaluator.bucket(salt, tenant)).isEqualTo(expectedBucket);
  }

  @Test
  @DisplayName("a hash with the top bit set is taken as unsigned, not as a negative int")
  void topBitIsUnsigned() {
    int signed = guavaHash("new-billing:00000000-0000-0000-0000-000000000000");
    assertThat(signed).isNegative();
    assertThat(Bucket.of("new-billing", "00000000-0000-0000-0000-000000000000"))
        .isEqualTo(49)
        .isEqualTo((int) (Integer.toUnsignedLong(signed) % 10_000))
        // The two usual mistakes: the absolute value of the signed hash, or its floor modulus.
        .isNotEqualTo(Math.abs(signed % 10_000))
        .isNotEqualTo(Math.floorMod(signed, 10_000));
  }

  @Test
  @DisplayName("a salt found to have its top bit set agrees with the unsigned reading, over many tenants")
  void topBitOverManyTenants() {
    // Search, with a fixed seed, for tenants whose hash is negative as an int; each must still bucket unsigned.
    Random random = new Random(42);
    int found = 0;
    for (int i = 0; i < 2_000; i++) {
      String tenant = new UUID(random.nextLong(), random.nextLong()).toString();
      int hash = guavaHash("checkout:" + tenant);
      if (hash < 0) {
        found++;
        assertThat(Bucket.of("checkout", tenant)).isEqualTo((int) ((hash & 0xFFFFFFFFL) % 10_000));
      }
    }
    assertThat(found).as("about half the hashes have the top bit set").isBetween(800, 1_200);
  }

  @ParameterizedTest(name = "bucket({0}, {1}) = {2}")
  @CsvSource({
      // 'é' is two UTF-8 bytes: read as ISO-8859-1 (one byte) this salt would give bucket 5810.
      "café,        3f2504e0-4f89-41d3-9a0c-0305e82c3301, 5349",
      // Three- and four-byte UTF-8 (an arrow, a check mark and an emoji outside the BMP).
      "ünïcødé→✓😀, 3f2504e0-4f89-41d3-9a0c-0305e82c3301, 3731",
      // Bytes >= 0x80 in the hash's 1-3 byte tail, where sign-extension bugs of some murmur3 ports show.
      "xy,          é,                                    8424",
      "flag,        ü,                                    3992",
      "ü,           ü,                                    7477"})
  @DisplayName("non-ASCII salts hash their UTF-8 bytes")
  void utf8Salts(String salt, String tenant, int expectedBucket) {
    assertThat(Bucket.of(salt, tenant)).isEqualTo(expectedBucket);
    assertThat(ReferenceEvaluator.bucket(salt, tenant)).isEqualTo(expectedBucket);
  }

  @Test
  @DisplayName("Bucket agrees with Guava on random salts of any Unicode and random tenants, always within 0..9,999")
  void agreesWithGuavaOnRandomInputs() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      String salt = randomString(random);
      String tenant = new UUID(random.nextLong(), random.nextLong()).toString();
      int bucket = Bucket.of(salt, tenant);
      assertThat(bucket).as("salt %s", salt).isBetween(0, 9_999).isEqualTo(ReferenceEvaluator.bucket(salt, tenant))
          .isEqualTo((int) (Integer.toUnsignedLong(guavaHash(salt + ":" + tenant)) % 10_000));
    }
  }

  /** 0-12 code points drawn from ASCII, Latin-1, the BMP beyond it, and the supplementary planes. */
  private static String randomString(Random random) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(13);
    for (int i = 0; i < length; i++) {
      int codePoint = switch (random.nextInt(4)) {
        case 0 -> 0x21 + random.nextInt(0x5e);
        case 1 -> 0xa0 + random.nextInt(0x60);
        case 2 -> 0x100 + random.nextInt(0xd000);
        default -> 0x10000 + random.nextInt(0x1000);
      };
      s.appendCodePoint(codePoint);
    }
    return s.toString();
  }

  private static int guavaHash(String text) {
    return Hashing.murmur3_32_fixed(0).hashBytes(text.getBytes(StandardCharsets.UTF_8)).asInt();
  }
}
