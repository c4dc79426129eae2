package org.tenantfeatures.tools.loadgen;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/** {@code scripts/load.sh}: parses the options, runs one session, prints the report. */
public final class LoadMain {

  private LoadMain() {
  }

  public static void main(String[] args) {
    LoadOptions options;
    try {
      if (args.length == 0 || java.util.Arrays.asList(args).contains("-h") || java.util.Arrays.asList(args).contains("--help")) {
        System.out.print(LoadOptions.USAGE);
        System.exit(args.length == 0 ? 2 : 0);
      }
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("load: " + e.getMessage() + "\n\n" + LoadOptions.USAGE);
      System.exit(2);
      return;
    }
    // One event loop: the generator counts without locks, and leaves the other core to the service.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    LoadReport report;
    try {
      report = LoadSession.run(vertx, options, options.quiet() ? null : System.err::println).await();
    } catch (Exception e) {
      System.err.println("load: " + e.getMessage());
      vertx.close().await();
      System.exit(2);
      return;
    }
    vertx.close().await();
    if (!report.wrongSamples().isEmpty()) {
      System.err.println("wrong answers (first " + report.wrongSamples().size() + "):");
      report.wrongSamples().forEach(s -> System.err.println("  " + s));
    }
    System.out.println(options.json() ? report.toJson().encodePrettily() : report.summaryLine());
    System.exit(report.wrong() > 0 ? 1 : 0);
  }
}
