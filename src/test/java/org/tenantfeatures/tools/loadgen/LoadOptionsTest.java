package org.tenantfeatures.tools.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Load generator options")
class LoadOptionsTest {

  @Test
  @DisplayName("hey-style flags are read: -z, -c, repeated -H, --tenants, --verify, --db, --writes")
  void readsFlags() {
    LoadOptions o = LoadOptions.parse("-z", "20s", "-c", "64", "-H", "Authorization: Bearer x", "-H", "X-A: b:c",
        "--tenants", "200", "--verify", "--db", "postgresql://u@h:5/d", "--writes", "50", "--seed", "50x200",
        "http://localhost:8080/api/v3/features/tenant");
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(20));
    assertThat(o.concurrency()).isEqualTo(64);
    assertThat(o.headers()).hasSize(2);
    assertThat(o.headers().get(1)).containsExactly("X-A", "b:c");
    assertThat(o.tenants()).isEqualTo(200);
    assertThat(o.verify()).isTrue();
    assertThat(o.writesPerSecond()).isEqualTo(50.0);
    assertThat(o.seedFlags()).isEqualTo(50);
    assertThat(o.seedTenants()).isEqualTo(200);
    assertThat(o.url()).endsWith("/tenant");
  }

  @Test
  @DisplayName("--ofrep needs a targeting key (--tenants or X-Tenant-ID); --revalidate is read")
  void ofrep() {
    String url = "http://localhost:8080/ofrep/v1/evaluate/flags";
    assertThatThrownBy(() -> LoadOptions.parse("--ofrep", url)).hasMessageContaining("targeting key");
    LoadOptions o = LoadOptions.parse("--ofrep", "--revalidate", "-H", "X-Tenant-ID: 550e8400-e29b-41d4-a716-446655440000", url);
    assertThat(o.ofrep()).isTrue();
    assertThat(o.revalidate()).isTrue();
    assertThat(LoadOptions.parse(url).ofrep()).isFalse();
    assertThatThrownBy(() -> LoadOptions.parse("--ofrep", "--tenants", "5", "--db", "postgresql://u@h:5/d",
        "-H", "X-Tenant-ID: 550e8400-e29b-41d4-a716-446655440000", url)).hasMessageContaining("leave out X-Tenant-ID");
  }

  @Test
  @DisplayName("Durations take ms, s, m and h")
  void durations() {
    assertThat(LoadOptions.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(LoadOptions.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> LoadOptions.duration("20")).hasMessageContaining("-z");
  }

  @Test
  @DisplayName("Verification without a database, a missing URL, an unknown flag or a bad number is a usage error")
  void usageErrors() {
    assertThatThrownBy(() -> LoadOptions.parse("--verify", "http://x/")).hasMessageContaining("--db");
    assertThatThrownBy(() -> LoadOptions.parse("-c", "4")).hasMessageContaining("no URL");
    assertThatThrownBy(() -> LoadOptions.parse("--frobnicate", "http://x/")).hasMessageContaining("--frobnicate");
    assertThatThrownBy(() -> LoadOptions.parse("-c", "zero", "http://x/")).hasMessageContaining("-c");
    assertThatThrownBy(() -> LoadOptions.parse("-H", "no-colon", "http://x/")).hasMessageContaining("-H");
  }

  @Test
  @DisplayName("--rollout F:P@S with --probe needs a verified session over --tenants; --each asks each tenant once")
  void rolloutAndEach() {
    String url = "http://localhost:8080/api/v3/features/tenant";
    String db = "postgresql://u@h:5/d";
    LoadOptions o = LoadOptions.parse("--verify", "--tenants", "10", "--db", db, "--rollout", "load_flag_000:12.5@30",
        "--probe", "http://127.0.0.1:8081", "--probe", "http://127.0.0.1:8082", url);
    assertThat(o.rolloutFlag()).isEqualTo("load_flag_000");
    assertThat(o.rolloutPercent()).isEqualTo(12.5);
    assertThat(o.rolloutAtMs()).isEqualTo(30_000);
    assertThat(o.probes()).hasSize(2);
    assertThatThrownBy(() -> LoadOptions.parse("--tenants", "10", "--db", db, "--rollout", "f:20@1", url)).hasMessageContaining("--verify");
    assertThatThrownBy(() -> LoadOptions.parse("--verify", "--tenants", "10", "--db", db, "--writes", "5", "--rollout", "f:20@1", url))
        .hasMessageContaining("--writes");
    for (String bad : new String[] {"f:101@1", "f:20.125@1", "f:20", "F:20@1"}) {
      assertThatThrownBy(() -> LoadOptions.parse("--verify", "--tenants", "10", "--db", db, "--rollout", bad, url))
          .as(bad).hasMessageContaining("FLAG:PERCENT@SECONDS");
    }
    assertThatThrownBy(() -> LoadOptions.parse("--probe", "http://x", url)).hasMessageContaining("--rollout");

    LoadOptions each = LoadOptions.parse("--each", "--tenants", "7", "-z", "5s", "--db", db, url);
    assertThat(each.requests()).isEqualTo(7);
    assertThat(each.duration()).isNull();
    assertThatThrownBy(() -> LoadOptions.parse("--each", url)).hasMessageContaining("--tenants");
  }
}
