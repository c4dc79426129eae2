package org.tenantfeatures.support.badinput;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.tenantfeatures.support.TestConfig;

/**
 * The numbers and names that {@code BadInputIT} and its machinery share: how many cases, from
 * which seed, how they are sent, and what the checks look for. In one place, so that the
 * generator, the runner and the checker cannot disagree about them.
 */
public final class BadInputPlan {

  public static final int REQUESTS = 3_000;
  public static final long DEFAULT_SEED = 20261127L;
  static final int CONCURRENCY = 16;
  /** Every this many cases one is a valid request that must get the complete answer. */
  public static final int VALID_EVERY = 10;
  public static final int FLAGS = 12;
  /** How long a raw-socket case may wait for the server to answer or close. */
  static final long RAW_DEADLINE_MS = 2_000;
  /** Once a raw-socket case has a complete answer, how long a silence ends it. */
  static final long RAW_QUIET_MS = 100;
  /** Longest a single case may take before it counts as stuck. */
  static final long CASE_WATCHDOG_MS = 8_000;
  static final int GARBAGE_BYTES = 8 * 1024 * 1024;

  /** Words no answer body may contain; the generator keeps them out of what the service may echo. */
  static final List<String> INTERNALS =
      List.of("exception", "at org.", "io.vertx", "java.", "org.tenantfeatures", "netty");

  static final String VALID_TOKEN = TestConfig.ALL_TENANTS_TOKEN;
  /** An admin token too, so that write routes get past their checks to the body. */
  public static final String ADMIN_TOKEN = "badinput-admin-token";
  /** The seeded tenant's roles, as the test inserts them. */
  static final JsonArray ROLES = new JsonArray()
      .add(new JsonObject().put("name", "admin").put("description", "Everything"))
      .add(new JsonObject().put("name", "viewer").put("description", "Reads"));

  private BadInputPlan() {
  }
}
