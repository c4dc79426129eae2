package org.tenantfeatures.support;

import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Vertx;
import java.util.function.UnaryOperator;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.telemetry.MetricsSetup;

/**
 * The service on a database and a Vert.x of its own (metrics on, as the service runs), started
 * with a test's own settings and closed after it: the one way the integration tests stand up a
 * single node.
 */
public record ServiceUnderTest(Vertx vertx, String dbUri, RunningService service) {

  /** A new database, {@code settings} applied to the test defaults, and the service on it with an HTTP client of {@code connections}. */
  public static ServiceUnderTest start(int connections, UnaryOperator<TestConfig> settings) throws Exception {
    String dbUri = TestPostgres.shared().createDatabase();
    AppConfig config = settings.apply(TestConfig.forDatabase(dbUri)).build();
    Vertx vertx = Vertx.vertx(MetricsSetup.vertxOptions(config));
    return new ServiceUnderTest(vertx, dbUri, await(RunningService.deploy(vertx, config, connections)));
  }

  public void close() throws Exception {
    await(vertx.close());
  }
}
