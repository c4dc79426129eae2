package org.tenantfeatures.tools.loadgen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Command-line options of the load generator, in the spelling {@code hey} and {@code wrk} users
 * know where one exists ({@code -n -z -c -H -t}).
 */
public record LoadOptions(
    String url,
    long requests,
    Duration duration,
    int concurrency,
    List<String[]> headers,
    long timeoutMs,
    int tenants,
    boolean verify,
    String dbUri,
    double writesPerSecond,
    long maxStaleMs,
    boolean json,
    boolean quiet,
    int seedFlags,
    int seedTenants,
    boolean ofrep,
    boolean revalidate,
    String rolloutFlag,
    double rolloutPercent,
    long rolloutAtMs,
    List<String> probes,
    boolean each) {

  public static final String USAGE = """
      Usage: scripts/load.sh [options] URL

      Sends GET requests to URL (POST with --ofrep) and sorts every answer. With --verify each 200 body is compared
      with the tenant's map read straight from the database; any difference ({} and partial maps
      included) counts as wrong, apart from explicit errors, which are counted by status.

        -n N               total requests (default 10000; ignored with -z)
        -z DURATION        run for a duration instead: 500ms, 20s, 2m
        -c N               concurrent connections (default 50)
        -H "Name: value"   request header, repeatable (Authorization, X-Tenant-ID, ...)
        -t MS              per-request timeout in milliseconds (default 10000)
        --tenants N        spread requests over N tenants that have rows in the database
                           (sets X-Tenant-ID on each request; needs --db)
        --each             ask each of the --tenants once, in order, then stop (fills a node's
                           cache before a measurement; replaces -n and -z)
        --verify           check every 200 body against the database (needs --db)
        --db URI           the service's database: postgresql://user:password@host:port/db
        --writes N         flip N tenant overrides per second in the database while reading
                           (needs --db); answers then count as right if they equal a state the
                           tenant had between the request's start and end
        --max-stale-ms MS  an answer may also equal a state replaced this long before the
                           request began (the coherent cache: a change's announcement on
                           its way; 100 is the service's bound); older is wrong (default 0)
        --seed FxT         first create a data set of F flags and T tenants (e.g. 50x200)
        --ofrep            URL is OFREP's bulk evaluation (/ofrep/v1/evaluate/flags): POST
                           {"context":{"targetingKey":TENANT}} instead of X-Tenant-ID, and
                           verify the answer's flags as the tenant's map
        --revalidate       send each tenant's last ETag as If-None-Match, as a polling client
                           does; a 304 counts as not_modified when the body it stands for is
                           still right (--verify), and as wrong to a request without one
        --rollout F:P@S    S seconds into the run, set flag F's rollout to P percent through the
                           API (PUT /api/v3/flags/F/targeting, the rest of its targeting kept;
                           the token needs admin), the moved tenants' new maps computed by the
                           reference evaluator beforehand and verified like writes (needs
                           --verify and --tenants, not --writes); prints a "rollout:" line
        --probe URL        with --rollout: a node's base URL (repeatable); after the change,
                           200 moved tenants are asked from it, round after round, until each
                           answers its new map, and the line says how long that took
        --json             print the report as JSON instead of the summary line
        -q                 no progress lines on stderr
        -h, --help         this text

      Last line on stdout:
        requests=N ok=N wrong=N errors_4xx=N errors_5xx=N timeouts=N rps=X p50_ms=X p99_ms=X
        p999_ms=X max_ms=X io_errors=N stale=N writes=N not_modified=N cache_hits=N
      (stale: 200 answers marked stale by the service's stale-if-error, counted apart;
      cache_hits: 200 answers whose Server-Timing says the node's cache had the map)
      Exit status: 0 if no answer was wrong, 1 if any was, 2 for a usage error.
      """;

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern SEED = Pattern.compile("(\\d+)x(\\d+)");
  private static final Pattern ROLLOUT = Pattern.compile("([a-z0-9_.-]+):(\\d{1,3}(?:\\.\\d{1,2})?)@(\\d+)");

  /** Parses arguments; throws {@link IllegalArgumentException} with a message for the user. */
  public static LoadOptions parse(String... args) {
    String url = null;
    long requests = 10_000;
    Duration duration = null;
    int concurrency = 50;
    List<String[]> headers = new ArrayList<>();
    long timeoutMs = 10_000;
    int tenants = 0;
    boolean verify = false;
    String dbUri = null;
    double writes = 0;
    long maxStaleMs = 0;
    boolean json = false;
    boolean quiet = false;
    int seedFlags = 0;
    int seedTenants = 0;
    boolean ofrep = false;
    boolean revalidate = false;
    String rolloutFlag = null;
    double rolloutPercent = 0;
    long rolloutAtMs = 0;
    List<String> probes = new ArrayList<>();
    boolean each = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "-n" -> requests = positiveLong(arg, value(args, ++i, arg));
        case "-z" -> duration = duration(value(args, ++i, arg));
        case "-c" -> concurrency = (int) positiveLong(arg, value(args, ++i, arg));
        case "-H" -> headers.add(header(value(args, ++i, arg)));
        case "-t" -> timeoutMs = positiveLong(arg, value(args, ++i, arg));
        case "--tenants" -> tenants = (int) positiveLong(arg, value(args, ++i, arg));
        case "--verify" -> verify = true;
        case "--db" -> dbUri = value(args, ++i, arg);
        case "--writes" -> writes = Double.parseDouble(value(args, ++i, arg));
        case "--max-stale-ms" -> maxStaleMs = Long.parseLong(value(args, ++i, arg));
        case "--json" -> json = true;
        case "-q" -> quiet = true;
        case "--ofrep" -> ofrep = true;
        case "--revalidate" -> revalidate = true;
        case "--each" -> each = true;
        case "--probe" -> probes.add(value(args, ++i, arg));
        case "--rollout" -> {
          Matcher m = ROLLOUT.matcher(value(args, ++i, arg));
          if (!m.matches() || Double.parseDouble(m.group(2)) > 100) {
            throw new IllegalArgumentException("--rollout takes FLAG:PERCENT@SECONDS, e.g. load_flag_000:20@10, a percentage 0..100");
          }
          rolloutFlag = m.group(1);
          rolloutPercent = Double.parseDouble(m.group(2));
          rolloutAtMs = Long.parseLong(m.group(3)) * 1000;
        }
        case "--seed" -> {
          Matcher m = SEED.matcher(value(args, ++i, arg));
          if (!m.matches()) {
            throw new IllegalArgumentException("--seed takes FLAGSxTENANTS, e.g. 50x200");
          }
          seedFlags = Integer.parseInt(m.group(1));
          seedTenants = Integer.parseInt(m.group(2));
        }
        default -> {
          if (arg.startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + arg);
          }
          if (url != null) {
            throw new IllegalArgumentException("more than one URL: " + url + " and " + arg);
          }
          url = arg;
        }
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("no URL given");
    }
    if ((verify || tenants > 0 || writes > 0 || seedFlags > 0) && dbUri == null) {
      throw new IllegalArgumentException("--verify, --tenants, --writes and --seed need --db");
    }
    boolean tenantHeader = headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("X-Tenant-ID"));
    if (ofrep && tenants == 0 && !tenantHeader) {
      throw new IllegalArgumentException("--ofrep needs --tenants N or an X-Tenant-ID header (the targeting key)");
    }
    if (ofrep && tenants > 0 && tenantHeader) {
      throw new IllegalArgumentException("--ofrep with --tenants: leave out X-Tenant-ID (the service refuses one that names another tenant than the targeting key)");
    }
    if (writes < 0 || maxStaleMs < 0) {
      throw new IllegalArgumentException("--writes and --max-stale-ms cannot be negative");
    }
    if (rolloutFlag != null && (!verify || tenants == 0 || writes > 0 || ofrep)) {
      throw new IllegalArgumentException("--rollout needs --verify and --tenants, and goes without --writes and --ofrep");
    }
    if (each) {
      if (tenants == 0) {
        throw new IllegalArgumentException("--each needs --tenants N");
      }
      requests = tenants;
      duration = null;
    }
    if (!probes.isEmpty() && rolloutFlag == null) {
      throw new IllegalArgumentException("--probe goes with --rollout");
    }
    return new LoadOptions(url, requests, duration, concurrency, List.copyOf(headers), timeoutMs, tenants, verify,
        dbUri, writes, maxStaleMs, json, quiet, seedFlags, seedTenants, ofrep, revalidate, rolloutFlag, rolloutPercent, rolloutAtMs,
        List.copyOf(probes), each);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static long positiveLong(String option, String text) {
    try {
      long v = Long.parseLong(text);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(option + " needs a positive whole number, got '" + text + "'");
  }

  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("-z takes a duration such as 500ms, 20s or 2m, got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static String[] header(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("-H takes \"Name: value\", got '" + text + "'");
    }
    return new String[] {text.substring(0, colon).trim(), text.substring(colon + 1).trim()};
  }
}
