package org.tenantfeatures.support.badinput;

import static org.tenantfeatures.support.badinput.BadInputPlan.GARBAGE_BYTES;
import static org.tenantfeatures.support.badinput.BadInputPlan.VALID_EVERY;
import static org.tenantfeatures.support.badinput.BadInputPlan.VALID_TOKEN;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.tenantfeatures.http.Routes;
import org.tenantfeatures.support.badinput.Case.BodyKind;
import org.tenantfeatures.support.badinput.Case.Kind;

/**
 * Makes everything random about a run from one seed, in a fixed order: the tenant id, the
 * garbage that bodies are cut from, then the cases. The same seed gives the same cases in the
 * same order, so a failing run replays. Every {@link BadInputPlan#VALID_EVERY}th case is a
 * valid request; of the others about one in seven goes to {@link RawCases}, the rest to
 * {@link ClientCases}.
 */
public final class Generator {

  private final Draws r;
  private final String tenant;
  private final Buffer garbage;
  private final ClientCases client;
  private final RawCases raw;

  public Generator(long seed) {
    Random random = new Random(seed);
    // The tenant id is part of the cases, so it comes from the seed too.
    this.tenant = new UUID(random.nextLong(), random.nextLong()).toString();
    this.garbage = Bytes.randomBytes(random, GARBAGE_BYTES);
    this.r = new Draws(random);
    this.client = new ClientCases(r, tenant, garbage);
    this.raw = new RawCases(r, tenant);
  }

  /** The tenant the valid cases read, and the test seeds. */
  public String tenant() {
    return tenant;
  }

  /** Random bytes that bodies are cut from: the runner sends slices of them as well. */
  public Buffer garbage() {
    return garbage;
  }

  /** The run's cases, numbered from 0; asked for once per generator. */
  public List<Case> cases(int count) {
    List<Case> cases = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      cases.add(next(i));
    }
    return cases;
  }

  private Case next(int i) {
    if (i % VALID_EVERY == 0) {
      boolean roles = (i / VALID_EVERY) % 4 == 3;
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      headers.add(Map.entry("Authorization", "Bearer " + VALID_TOKEN));
      headers.add(Map.entry("X-Tenant-ID", r.nextBoolean() ? tenant : tenant.toUpperCase(Locale.ROOT)));
      String uri = (roles ? Routes.ROLES : Routes.FEATURES)
          + (r.nextBoolean() ? "?raw_sql=true&no_prepare=true&statement_cache_size=0" : "");
      return new Case(i, Kind.VALID, roles ? "valid roles" : "valid features", HttpMethod.GET, uri, headers,
          BodyKind.NONE, 0, null, false, false);
    }
    return r.nextInt(100) < 14 ? raw.next(i) : client.next(i);
  }
}
