package org.tenantfeatures.db;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.client.ChangeEvent;
import org.tenantfeatures.client.ChangeEvent.Source;
import org.tenantfeatures.client.Deadline;
import org.tenantfeatures.client.FailureCode;
import org.tenantfeatures.client.FeatureBus;
import org.tenantfeatures.client.FeatureBus.Actions;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.TenantIds;
import org.tenantfeatures.config.AppConfig;

/**
 * Owns the pool and answers {@link FeatureBus#DB_ADDRESS}. Every statement is prepared, every
 * result set is collected whole before the reply is built, and every read goes through the
 * breaker and the deadline-bounded retries of {@link GuardedReads}.
 */
public class DatabaseVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(DatabaseVerticle.class);
  /** How long other nodes may still route here after this node left the address. */
  private static final long ROUTING_GRACE_MS = 1_000;

  private final AppConfig.Db db;
  private final int defaultBudgetMs;
  private Pool pool;
  private CircuitBreaker breaker;
  private GuardedReads reads;
  private SqlTrace trace;
  private DatabaseDiagnostics diagnostics;
  private OverrideWrites writes;
  private FlagWrites flags;
  private MessageConsumer<JsonObject> consumer;
  private MessageConsumer<JsonObject> localConsumer;
  /** Tenant reads and writes started and not yet answered; only touched on this verticle's event loop. */
  private int inFlight;
  private final BreakerMetrics metrics = new BreakerMetrics();

  public DatabaseVerticle(AppConfig.Db db, int defaultBudgetMs) {
    this.db = db;
    this.defaultBudgetMs = defaultBudgetMs;
  }

  @Override
  public Future<?> start() {
    pool = PoolFactory.create(vertx, db);
    breaker = CircuitBreaker.create("database", vertx, new CircuitBreakerOptions()
            .setMaxFailures(db.breaker().maxFailures())
            .setResetTimeout(db.breaker().resetTimeoutMs())
            // Each attempt is cut at the request's own deadline instead of one fixed timeout.
            .setTimeout(-1))
        .failurePolicy(result -> result.failed() && DbFailures.countsAgainstDatabase(result.cause()))
        .openHandler(v -> {
          log.warn("Database circuit OPEN: answering at once for {} ms", db.breaker().resetTimeoutMs());
          metrics.transition("open");
        })
        .halfOpenHandler(v -> {
          log.info("Database circuit HALF-OPEN: letting one request through");
          metrics.transition("half_open");
        })
        .closeHandler(v -> {
          log.info("Database circuit CLOSED");
          metrics.transition("closed");
        });
    metrics.watch(breaker);
    reads = new GuardedReads(vertx, breaker, db.retry());
    trace = new SqlTrace(db.traceSql(), db.traceSqlParameters());
    diagnostics = new DatabaseDiagnostics(db, pool, breaker, trace);
    writes = new OverrideWrites(pool);
    flags = new FlagWrites(pool);
    consumer = vertx.eventBus().consumer(FeatureBus.DB_ADDRESS, this::onMessage);
    localConsumer = vertx.eventBus().localConsumer(FeatureBus.DB_LOCAL_ADDRESS, this::onMessage);
    return Future.all(consumer.completion(), localConsumer.completion());
  }

  /**
   * Leaves the cluster's routing first, while a local-only consumer still answers what other
   * nodes had already routed here by their not yet updated view, then lets the requests in flight
   * finish (none outlives its budget), and only then closes the pool. Closing at once failed
   * those requests ("Pool closed"); unregistering alone let them wait out their deadline (504),
   * both seen stopping a node of a cluster under load.
   */
  @Override
  public Future<?> stop() {
    MessageConsumer<JsonObject> stragglers = vertx.eventBus().localConsumer(FeatureBus.DB_ADDRESS, this::onMessage);
    long until = System.nanoTime() + defaultBudgetMs * 1_000_000L;
    return stragglers.completion()
        .compose(v -> consumer.unregister())
        // Alone, no other node routes here: nothing to wait for.
        .compose(v -> vertx.isClustered() ? vertx.timer(ROUTING_GRACE_MS, TimeUnit.MILLISECONDS) : Future.succeededFuture())
        .compose(v -> stragglers.unregister())
        .compose(v -> localConsumer.unregister())
        .compose(v -> inFlightDone(until))
        .eventually(() -> {
          breaker.close();
          return pool.close();
        });
  }

  private Future<Void> inFlightDone(long giveUpAtNanos) {
    if (inFlight == 0 || System.nanoTime() - giveUpAtNanos > 0) {
      return Future.succeededFuture();
    }
    return vertx.timer(10, TimeUnit.MILLISECONDS).compose(v -> inFlightDone(giveUpAtNanos));
  }

  private void onMessage(Message<JsonObject> message) {
    String action = message.headers().get(FeatureBus.ACTION);
    if (action == null) {
      message.fail(FailureCode.BAD_ACTION.code(), "missing '" + FeatureBus.ACTION + "' header");
      return;
    }
    switch (action) {
      case Actions.GET_TENANT_FEATURES -> withTenant(message, this::tenantFeatures);
      case Actions.GET_TENANT_ROLES -> withTenant(message, this::tenantRoles);
      case Actions.SET_SQL_TRACE -> setSqlTrace(message);
      case Actions.PING -> answer(message, null, diagnostics.ping(budget(message)));
      case Actions.GET_DB_DIAGNOSTICS -> diagnostics(message);
      case Actions.SET_OVERRIDE -> setOverride(message);
      case Actions.LIST_FLAGS -> answer(message, null, reads.read(Deadline.in(budget(message)), flags::list));
      case Actions.WRITE_FLAG -> writeFlag(message);
      case Actions.GET_AUDIT -> withTenant(message, (tenant, deadline) -> auditPage(message.body(), tenant, deadline));
      default -> message.fail(FailureCode.BAD_ACTION.code(), "unknown action '" + action + "'");
    }
  }

  private void setSqlTrace(Message<JsonObject> message) {
    Object enabled = message.body() == null ? null : message.body().getValue(Fields.ENABLED);
    if (!(enabled instanceof Boolean on)) {
      message.fail(FailureCode.BAD_MESSAGE.code(), "'" + Fields.ENABLED + "' must be true or false");
      return;
    }
    trace.enable(on);
    message.reply(new JsonObject().put(Fields.ENABLED, trace.enabled()));
  }

  /**
   * A write: validated, then one transaction behind the breaker, never retried, cut at the
   * deadline (it may still commit after that; the announcement follows the commit, not the reply).
   */
  private void setOverride(Message<JsonObject> message) {
    JsonObject body = message.body();
    Object flag = body == null ? null : body.getValue(Fields.FLAG);
    Object actor = body == null ? null : body.getValue(Fields.ACTOR);
    Object enabled = body == null ? null : body.getValue(Fields.ENABLED);
    if (!(flag instanceof String name) || name.isBlank() || !(actor instanceof String who) || who.isBlank()
        || !body.containsKey(Fields.ENABLED) || (enabled != null && !(enabled instanceof Boolean))) {
      message.fail(FailureCode.BAD_MESSAGE.code(), "need 'flag', 'actor' and 'enabled' (true, false or null)");
      return;
    }
    String requestId = message.headers().get(FeatureBus.REQUEST_ID);
    withTenant(message, (tenant, deadline) -> breaker.<JsonObject>execute(() -> writes.set(tenant, name, (Boolean) enabled, who, requestId)
            .onSuccess(outcome -> {
              if (outcome.changed()) {
                announce(outcome.answer());
              }
            })
            .map(OverrideWrites.Outcome::answer)
            .timeout(Math.max(1, deadline.remainingMs()), TimeUnit.MILLISECONDS)));
  }

  /** A catalogue write: validated, one transaction behind the breaker, never retried. */
  private void writeFlag(Message<JsonObject> message) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    String op = body.getValue(Fields.OP) instanceof String s ? s : "";
    Object name = body.getValue(Fields.NAME);
    Object description = body.getValue(Fields.DESCRIPTION, "");
    Object actor = body.getValue(Fields.ACTOR);
    if (!(name instanceof String flag) || !(description instanceof String text) || !(actor instanceof String who)
        || !List.of("create", "describe", "delete").contains(op)) {
      message.fail(FailureCode.BAD_MESSAGE.code(), "need 'op' (create, describe, delete), 'name', 'actor', 'description'");
      return;
    }
    String requestId = message.headers().get(FeatureBus.REQUEST_ID);
    Future<JsonObject> done = breaker.execute(() -> switch (op) {
      case "create" -> flags.create(flag, text, who, requestId);
      case "describe" -> flags.describe(flag, text, who, requestId);
      default -> flags.delete(flag, who, requestId);
    });
    // A flag added or removed changes every tenant's map.
    answer(message, null, done.onSuccess(v -> {
      if (!op.equals("describe")) {
        ChangeEvent.ofAllTenants(flag, Source.SERVICE).publish(vertx);
      }
    }).timeout(budget(message), TimeUnit.MILLISECONDS));
  }

  /**
   * Replies with the result, or fails with its code; counted as in flight until then. An
   * internal failure is logged with its stack trace, the others at DEBUG with their cause.
   */
  private void answer(Message<JsonObject> message, Object tenant, Future<JsonObject> result) {
    String requestId = message.headers().get(FeatureBus.REQUEST_ID);
    inFlight++;
    result.onComplete(done -> {
      inFlight--;
      if (done.succeeded()) {
        message.reply(done.result());
        return;
      }
      FailureCode code = DbFailures.classify(done.cause());
      String action = message.headers().get(FeatureBus.ACTION);
      if (code == FailureCode.INTERNAL) {
        log.error("req={} {} failed for tenant {}", requestId, action, tenant, done.cause());
      } else {
        log.debug("req={} {} failed for tenant {}: {} ({})", requestId, action, tenant, code, done.cause().toString());
      }
      message.fail(code.code(), code + ": " + done.cause().getMessage());
    });
  }

  /** After commit: every node's consumers (cache invalidation first of all) hear of the change. */
  private void announce(JsonObject change) {
    ChangeEvent.ofTenant(change.getString(Fields.TENANT_ID), change.getString(Fields.FLAG), change.getLong(Fields.REVISION),
        Source.SERVICE).publish(vertx);
  }

  private void diagnostics(Message<JsonObject> message) {
    diagnostics.report(budget(message)).onSuccess(message::reply);
  }

  /** A tenant's read or write, answered with a body or failed. */
  private interface TenantRead {
    Future<JsonObject> run(String tenantId, Deadline deadline);
  }

  private void withTenant(Message<JsonObject> message, TenantRead read) {
    JsonObject body = message.body();
    Object tenant = body == null ? null : body.getValue(Fields.TENANT_ID);
    if (!TenantIds.isCanonical(tenant)) {
      message.fail(FailureCode.BAD_MESSAGE.code(), "'" + Fields.TENANT_ID + "' must be a canonical lower-case UUID");
      return;
    }
    answer(message, tenant, read.run((String) tenant, Deadline.in(budget(message))));
  }

  /**
   * The milliseconds since {@code startNanos} in the reply, for the HTTP side's Server-Timing.
   * Only the replies the HTTP side takes apart carry it (the tenant map and roles); a reply that
   * becomes an HTTP body as it is (writes, audit) must carry no internal field.
   */
  private static JsonObject timed(JsonObject reply, long startNanos) {
    return reply.put(Fields.DB_MS, (System.nanoTime() - startNanos) / 1e6);
  }


  private long budget(Message<JsonObject> message) {
    String header = message.headers().get(FeatureBus.BUDGET_MS);
    try {
      return header == null ? defaultBudgetMs : Math.min(Long.parseLong(header), defaultBudgetMs);
    } catch (NumberFormatException e) {
      return defaultBudgetMs;
    }
  }

  private Future<JsonObject> tenantFeatures(String tenantId, Deadline deadline) {
    long start = System.nanoTime();
    Tuple parameters = Tuple.of(UUID.fromString(tenantId));
    return reads.read(deadline, () -> trace.run(FeatureQueries.TENANT_FEATURE_MAP, parameters,
            () -> pool.preparedQuery(FeatureQueries.TENANT_FEATURE_MAP)
                .collecting(RowMappers.featureMap())
                .execute(parameters)))
        .map(SqlResult::value)
        .map(rows -> new JsonObject()
            .put(Fields.TENANT_ID, tenantId)
            .put(Fields.FEATURES, new JsonObject(rows.features()))
            .put(Fields.REVISION, rows.revision()))
        .map(reply -> timed(reply, start));
  }

  private Future<JsonObject> auditPage(JsonObject request, String tenantId, Deadline deadline) {
    int limit = Math.max(1, Math.min(request.getInteger(Fields.LIMIT, 50), 500));
    Long before = request.getLong(Fields.BEFORE);
    Tuple parameters = Tuple.of(UUID.fromString(tenantId), before == null ? Long.MAX_VALUE : before, limit);
    return reads.read(deadline, () -> trace.run(OverrideQueries.AUDIT_PAGE, parameters,
            () -> pool.preparedQuery(OverrideQueries.AUDIT_PAGE)
                .collecting(Collectors.mapping(RowMappers::auditEntry, Collectors.toList()))
                .execute(parameters)))
        .map(SqlResult::value)
        .map(entries -> new JsonObject()
            .put(Fields.ENTRIES, new JsonArray(entries))
            .put(Fields.NEXT, entries.size() < limit ? null : entries.get(entries.size() - 1).getLong("id")));
  }

  private Future<JsonObject> tenantRoles(String tenantId, Deadline deadline) {
    long start = System.nanoTime();
    Tuple parameters = Tuple.of(UUID.fromString(tenantId));
    return reads.read(deadline, () -> trace.run(RoleQueries.TENANT_ROLES, parameters,
            () -> pool.preparedQuery(RoleQueries.TENANT_ROLES)
                .collecting(Collectors.mapping(RowMappers::role, Collectors.toList()))
                .execute(parameters)))
        .map(SqlResult::value)
        .map(roles -> new JsonObject()
            .put(Fields.TENANT_ID, tenantId)
            .put(Fields.ROLES, new JsonArray(roles)))
        .map(reply -> timed(reply, start));
  }
}
