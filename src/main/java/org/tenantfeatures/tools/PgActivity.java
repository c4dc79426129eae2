package org.tenantfeatures.tools;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.locks.LockSupport;
import org.tenantfeatures.config.AppConfig;

/**
 * {@code scripts/pg-activity.sh}: the incident analysis's connection monitoring, refreshing:
 * connections to the service's database in total, by state, and this service's own (found by
 * its {@code application_name}) by state.
 */
public final class PgActivity {

  static final String USAGE = """
      Usage: scripts/pg-activity.sh [-i SECONDS] [-n COUNT]

      Prints, every SECONDS (default 2), the connections to the service's database from
      pg_stat_activity: the total, by state, and by application_name and state (the service's
      own carry db.applicationName). Stops after COUNT rounds (default: until interrupted).
      Reads the same configuration as the service.
      """;

  static final String BY_STATE = """
      SELECT coalesce(state, '(background)') AS state, count(*) AS connections
      FROM pg_stat_activity WHERE datname = current_database()
      GROUP BY 1 ORDER BY 1""";
  static final String BY_APPLICATION = """
      SELECT application_name, coalesce(state, '') AS state, count(*) AS connections,
             round(extract(epoch FROM max(now() - state_change))::numeric, 3) AS longest_in_state_s,
             count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting_on_locks
      FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE ?
      GROUP BY 1, 2 ORDER BY 1, 2""";

  private PgActivity() {
  }

  public static void main(String[] args) throws Exception {
    double interval = 2;
    long count = Long.MAX_VALUE;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-i" -> interval = Double.parseDouble(args[++i]);
        case "-n" -> count = Long.parseLong(args[++i]);
        case "-h", "--help" -> {
          System.out.print(USAGE);
          return;
        }
        default -> {
          System.err.print("pg-activity: unknown argument " + args[i] + "\n\n" + USAGE);
          System.exit(2);
        }
      }
    }
    AppConfig config = ToolConfig.load();
    try (Connection c = ToolConfig.connect(config)) {
      for (long round = 0; round < count; round++) {
        if (round > 0) {
          LockSupport.parkNanos((long) (interval * 1e9)); // the refresh period, not a synchronisation
        }
        System.out.println("== " + LocalTime.now().format(DateTimeFormatter.ISO_LOCAL_TIME) + "  "
            + DbInspect.redact(ToolConfig.databaseUri(config)));
        try (PreparedStatement s = c.prepareStatement(BY_STATE); ResultSet rs = s.executeQuery()) {
          System.out.println(TextTable.render(rs));
        }
        try (PreparedStatement s = c.prepareStatement(BY_APPLICATION)) {
          s.setString(1, config.db().applicationName() + "%");
          try (ResultSet rs = s.executeQuery()) {
            System.out.println(TextTable.render(rs));
          }
        }
      }
    }
  }
}
