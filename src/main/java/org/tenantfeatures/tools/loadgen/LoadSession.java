package org.tenantfeatures.tools.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run as the options describe it: seed data if asked, pick the tenants, read their maps as
 * the truth, start the override flipper if asked, send the load, stop the flipper. The command
 * line and the fault-injection tests both run load through here.
 */
public final class LoadSession {

  private LoadSession() {
  }

  /**
   * @param vertx    a Vert.x instance with one event loop, for the generator alone
   * @param progress receives a line a second, or null
   */
  public static Future<LoadReport> run(Vertx vertx, LoadOptions options, Consumer<String> progress) {
    return run(vertx, options, progress, new TenantHistory());
  }

  /**
   * A session that continues {@code history}: sessions run back to back on the same data pass
   * the same history, so that an answer stale within {@code --max-stale-ms} of the previous
   * session's last writes is judged against them (see {@link TenantHistory#current}).
   */
  public static Future<LoadReport> run(Vertx vertx, LoadOptions options, Consumer<String> progress, TenantHistory history) {
    if (options.dbUri() == null) {
      return new LoadGenerator(vertx, options, List.of(), null).run(progress, () -> 0);
    }
    return vertx.executeBlocking(() -> prepare(options, history)).compose(prepared -> {
      OverrideFlipper flipper = options.writesPerSecond() > 0
          ? new OverrideFlipper(prepared.data(), prepared.history(), prepared.truthFor(), options.writesPerSecond()) : null;
      if (flipper != null) {
        flipper.start();
      }
      if (prepared.rollout() != null) {
        prepared.rollout().start();
      }
      TenantHistory truth = options.verify() ? prepared.history() : null;
      return new LoadGenerator(vertx, options, prepared.tenants(), truth)
          .run(progress, flipper == null ? () -> 0 : flipper::writes)
          .eventually(() -> vertx.executeBlocking(() -> {
            if (flipper != null) {
              flipper.close();
            }
            if (prepared.rollout() != null) {
              prepared.rollout().close();
              System.out.println(prepared.rollout().result());
            }
            prepared.data().close();
            return null;
          }));
    });
  }

  /** {@code truthFor}: the tenants whose maps the history follows in this session. */
  private record Prepared(DataSet data, List<String> tenants, TenantHistory history, List<String> truthFor, RolloutChange rollout) {
  }

  private static Prepared prepare(LoadOptions options, TenantHistory history) throws Exception {
    DataSet data = DataSet.connect(options.dbUri());
    try {
      if (options.seedFlags() > 0) {
        data.seed(options.seedFlags(), options.seedTenants());
      }
      List<String> tenants = List.of();
      if (options.tenants() > 0) {
        tenants = data.tenantsWithRows(options.tenants());
        if (tenants.size() < options.tenants()) {
          throw new IllegalArgumentException("--tenants " + options.tenants() + ": only " + tenants.size()
              + " tenants have rows in the database (create more with --seed FLAGSxTENANTS)");
        }
      }
      // The truth is read only where it is needed: to verify answers, or to flip overrides.
      boolean needsTruth = options.verify() || options.writesPerSecond() > 0;
      List<String> truthFor = !needsTruth ? List.of() : tenants.isEmpty() ? headerTenant(options) : tenants;
      if (options.rolloutFlag() != null) {
        return new Prepared(data, tenants, history, truthFor, RolloutChange.prepare(data, history, truthFor, options));
      }
      for (String tenant : truthFor) {
        history.current(tenant, data.map(tenant));
      }
      return new Prepared(data, tenants, history, truthFor, null);
    } catch (Exception e) {
      data.close();
      throw e;
    }
  }

  private static List<String> headerTenant(LoadOptions options) {
    return options.headers().stream()
        .filter(h -> h[0].equalsIgnoreCase("X-Tenant-ID"))
        .map(h -> h[1].toLowerCase(java.util.Locale.ROOT))
        .findFirst()
        .map(List::of)
        .orElseThrow(() -> new IllegalArgumentException("--verify needs --tenants N or an X-Tenant-ID header"));
  }
}
