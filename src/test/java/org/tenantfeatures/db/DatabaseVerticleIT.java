package org.tenantfeatures.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.boot.Migrations;
import org.tenantfeatures.client.FailureCode;
import org.tenantfeatures.client.FeatureBus;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.db.pool.PoolFactory;
import org.tenantfeatures.support.Await;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.Sql;
import org.tenantfeatures.support.TestConfig;
import org.tenantfeatures.support.TestPostgres;
import org.tenantfeatures.telemetry.Telemetry;

/** The database verticle on its own, spoken to over the event bus as the contract says, no HTTP. */
@ExtendWith(VertxExtension.class)
@DisplayName("Database verticle over the event bus")
class DatabaseVerticleIT {

  private String dbUri;
  private String tenant;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    dbUri = TestPostgres.shared().createDatabase();
    AppConfig config = TestConfig.forDatabase(dbUri).build();
    Migrations.apply(PoolFactory.connectOptions(config.db()));
    Seed.flags(dbUri, 20);
    tenant = Seed.tenantWithData(dbUri);
    vertx.deployVerticle(new DatabaseVerticle(config.db(), config.http().requestTimeoutMs(), Telemetry.none()))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Message<JsonObject>> ask(Vertx vertx, String action, Object body) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(5000);
    if (action != null) {
      options.addHeader(FeatureBus.ACTION, action);
    }
    return vertx.eventBus().request(FeatureBus.DB_ADDRESS, body, options);
  }

  @Test
  @DisplayName("get-tenant-features answers the complete map, equal to the incident's join")
  void featuresAction(Vertx vertx, VertxTestContext ctx) {
    ask(vertx, FeatureBus.Actions.TENANT_MAP, new JsonObject().put(FeatureBus.Fields.TENANT_ID, tenant))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          JsonObject features = reply.body().getJsonObject(FeatureBus.Fields.FEATURES);
          assertThat(features.size()).isEqualTo(20);
          assertThat(features).isEqualTo(Sql.expectedMap(dbUri, tenant));
          assertThat(reply.body().getString(FeatureBus.Fields.TENANT_ID)).isEqualTo(tenant);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A flag added, renamed, removed or truncated away in SQL is in the very next map; with the catalogue's version row deleted, every read brings the flags")
  void catalogueChanges(Vertx vertx) throws Exception {
    assertThat(features(vertx)).isEqualTo(Sql.expectedMap(dbUri, tenant));
    // Each read after the first sends the version of the catalogue it holds: without the triggers'
    // new version, it would be answered with the overrides only and build the old catalogue's map.
    for (String change : List.of(
        "INSERT INTO feature_flags (name) VALUES ('zz-added')",
        "UPDATE feature_flags SET name = 'aa-renamed' WHERE name = 'zz-added'",
        "UPDATE feature_flags SET description = 'not part of any map' WHERE name = 'aa-renamed'",
        "DELETE FROM feature_flags WHERE name = 'aa-renamed'",
        "TRUNCATE feature_flags CASCADE",
        "DELETE FROM catalogue_version",
        "INSERT INTO feature_flags (name) VALUES ('zz-without-version')",
        "INSERT INTO tenant_features (tenant_id, feature_id, is_enabled) SELECT '" + tenant + "', id, true FROM feature_flags",
        "INSERT INTO feature_flags (name) VALUES ('zz-second-without-version')")) {
      Sql.execute(dbUri, change);
      assertThat(features(vertx)).as(change).isEqualTo(Sql.expectedMap(dbUri, tenant));
    }
    assertThat(features(vertx).getMap()).containsEntry("zz-without-version", true).containsEntry("zz-second-without-version", false).hasSize(2);
  }

  private static long overrides(String dbUri, String tenant) throws Exception {
    try (Connection c = Sql.connect(dbUri); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT count(*) FROM tenant_features WHERE tenant_id = '" + tenant + "'")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private JsonObject features(Vertx vertx) throws Exception {
    return Await.await(ask(vertx, FeatureBus.Actions.TENANT_MAP, new JsonObject().put(FeatureBus.Fields.TENANT_ID, tenant)))
        .body().getJsonObject(FeatureBus.Fields.FEATURES);
  }

  @Test
  @DisplayName("get-tenant-roles answers the tenant's roles")
  void rolesAction(Vertx vertx, VertxTestContext ctx) {
    Sql.execute(dbUri, "INSERT INTO roles (tenant_id, name, description) VALUES ('" + tenant + "', 'ops', 'Operates')");
    ask(vertx, FeatureBus.Actions.ROLES, new JsonObject().put(FeatureBus.Fields.TENANT_ID, tenant))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.body().getJsonArray(FeatureBus.Fields.ROLES))
              .isEqualTo(new JsonArray().add(new JsonObject().put("name", "ops").put("description", "Operates")));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("An unknown action fails with BAD_ACTION naming the action")
  void unknownAction(Vertx vertx, VertxTestContext ctx) {
    ask(vertx, "drop-everything", new JsonObject().put(FeatureBus.Fields.TENANT_ID, tenant))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          assertFailure(failure, FailureCode.BAD_ACTION);
          assertThat(failure.getMessage()).contains("drop-everything");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A message without an action header fails with BAD_ACTION")
  void missingAction(Vertx vertx, VertxTestContext ctx) {
    ask(vertx, null, new JsonObject().put(FeatureBus.Fields.TENANT_ID, tenant))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          assertFailure(failure, FailureCode.BAD_ACTION);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A body without a tenant id, with a non-canonical one, or with none at all fails with BAD_MESSAGE")
  void badMessages(Vertx vertx, VertxTestContext ctx) {
    String action = FeatureBus.Actions.TENANT_MAP;
    Future.all(
            expectBadMessage(ask(vertx, action, new JsonObject())),
            expectBadMessage(ask(vertx, action, new JsonObject().put(FeatureBus.Fields.TENANT_ID, tenant.toUpperCase()))),
            expectBadMessage(ask(vertx, action, new JsonObject().put(FeatureBus.Fields.TENANT_ID, 42))),
            expectBadMessage(ask(vertx, action, new JsonObject().put(FeatureBus.Fields.TENANT_ID, "x"))),
            expectBadMessage(ask(vertx, action, null)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("A tenant with no rows gets every flag false, not an empty map")
  void tenantWithoutRows(Vertx vertx, VertxTestContext ctx) {
    ask(vertx, FeatureBus.Actions.TENANT_MAP, new JsonObject().put(FeatureBus.Fields.TENANT_ID, UUID.randomUUID().toString()))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          JsonObject features = reply.body().getJsonObject(FeatureBus.Fields.FEATURES);
          assertThat(features.size()).isEqualTo(20);
          assertThat(features.getMap().values()).allMatch(Boolean.FALSE::equals);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A read blocked past the sender's budget fails with DEADLINE_EXCEEDED within that budget")
  void budgetIsHonoured(Vertx vertx, VertxTestContext ctx) throws Exception {
    Connection locker = Sql.connect(dbUri);
    locker.setAutoCommit(false);
    try (Statement s = locker.createStatement()) {
      s.execute("LOCK TABLE tenant_features IN ACCESS EXCLUSIVE MODE");
    }
    long start = System.nanoTime();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(5_000)
        .addHeader(FeatureBus.ACTION, FeatureBus.Actions.TENANT_MAP)
        .addHeader(FeatureBus.BUDGET_MS, "300");
    vertx.eventBus().<JsonObject>request(FeatureBus.DB_ADDRESS, new JsonObject().put(FeatureBus.Fields.TENANT_ID, tenant), options)
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          long elapsedMs = (System.nanoTime() - start) / 1_000_000;
          locker.close();
          assertFailure(failure, FailureCode.DEADLINE_EXCEEDED);
          assertThat(elapsedMs).isBetween(300L, 300L + 700L);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("The SQL trace, switched on over the bus, logs each statement with duration and rows, parameters redacted")
  void sqlTraceSwitch(Vertx vertx, VertxTestContext ctx) {
    Logger traceLogger = (Logger) LoggerFactory.getLogger(SqlTrace.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    traceLogger.addAppender(lines);
    JsonObject read = new JsonObject().put(FeatureBus.Fields.TENANT_ID, tenant);
    ask(vertx, FeatureBus.Actions.TENANT_MAP, read)
        .compose(untraced -> {
          ctx.verify(() -> assertThat(lines.list).isEmpty());
          return ask(vertx, FeatureBus.Actions.SET_SQL_TRACE, new JsonObject().put(FeatureBus.Fields.ENABLED, true));
        })
        .compose(on -> {
          ctx.verify(() -> assertThat(on.body().getBoolean(FeatureBus.Fields.ENABLED)).isTrue());
          return ask(vertx, FeatureBus.Actions.TENANT_MAP, read);
        })
        .compose(traced -> ask(vertx, FeatureBus.Actions.SET_SQL_TRACE, new JsonObject().put(FeatureBus.Fields.ENABLED, "yes"))
            .transform(bad -> {
              ctx.verify(() -> assertThat(((ReplyException) bad.cause()).failureCode()).isEqualTo(FailureCode.BAD_MESSAGE.code()));
              return ask(vertx, FeatureBus.Actions.SET_SQL_TRACE, new JsonObject().put(FeatureBus.Fields.ENABLED, false));
            }))
        .compose(off -> ask(vertx, FeatureBus.Actions.TENANT_MAP, read))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          traceLogger.detachAppender(lines);
          List<String> sql = lines.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("SQL ") && m.contains(" ms, ")).toList();
          assertThat(sql).hasSize(1);
          assertThat(sql.get(0)).contains("rows").contains((1 + overrides(dbUri, tenant)) + " rows").contains("FROM tenant_features tf WHERE tf.tenant_id = $1")
              .contains("$1=<redacted>").doesNotContain(tenant);
          ctx.completeNow();
        })));
  }

  private static Future<Void> expectBadMessage(Future<Message<JsonObject>> reply) {
    return reply.transform(result -> {
      if (result.succeeded()) {
        return Future.failedFuture(new AssertionError("expected BAD_MESSAGE, got a reply " + result.result().body()));
      }
      try {
        assertFailure(result.cause(), FailureCode.BAD_MESSAGE);
        return Future.succeededFuture();
      } catch (AssertionError e) {
        return Future.failedFuture(e);
      }
    });
  }

  private static void assertFailure(Throwable failure, FailureCode code) {
    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(code.code());
  }
}
