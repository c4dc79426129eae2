package org.tenantfeatures.db;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.client.Deadline;
import org.tenantfeatures.client.FailureCode;
import org.tenantfeatures.client.FeatureBus.Actions;
import org.tenantfeatures.client.FeatureBus.Fields;
import org.tenantfeatures.client.FeatureBus;
import org.tenantfeatures.client.TenantIds;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.db.pool.PoolFactory;
import org.tenantfeatures.db.read.TenantReads;
import org.tenantfeatures.db.write.Writes;

/**
 * Owns the connections (a pipelined client for reads, a pool for write transactions and the
 * node's own checks) and answers {@link FeatureBus#DB_ADDRESS}: it registers, dispatches each action
 * to the class that does it ({@link TenantReads}, {@link Writes}, {@link DatabaseDiagnostics}),
 * turns failures into failure codes, and leaves the cluster without failing requests in flight.
 * Every statement is prepared, every result set is collected whole before the reply is built,
 * and every read goes through the breaker ({@link DatabaseBreaker}) and the deadline-bounded
 * retries of {@link GuardedReads}.
 */
public class DatabaseVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(DatabaseVerticle.class);
  /** How long other nodes may still route here after this node left the address. */
  private static final long ROUTING_GRACE_MS = 1_000;

  private final AppConfig.Db db;
  private final int defaultBudgetMs;
  private SqlClient readClient;
  private Pool writePool;
  private CircuitBreaker breaker;
  private GuardedReads guarded;
  private TenantReads reads;
  private SqlTrace trace;
  private DatabaseDiagnostics diagnostics;
  private Writes writes;
  private MessageConsumer<JsonObject> consumer;
  private MessageConsumer<JsonObject> localConsumer;
  /** Tenant reads and writes started and not yet answered; only touched on this verticle's event loop. */
  private int inFlight;

  public DatabaseVerticle(AppConfig.Db db, int defaultBudgetMs) {
    this.db = db;
    this.defaultBudgetMs = defaultBudgetMs;
  }

  @Override
  public Future<?> start() {
    LocalReplyCodec.registerOn(vertx);
    readClient = PoolFactory.createReadClient(vertx, db);
    writePool = PoolFactory.createWritePool(vertx, db);
    breaker = DatabaseBreaker.create(vertx, db.breaker());
    guarded = new GuardedReads(vertx, breaker, db.retry());
    trace = new SqlTrace(db.traceSql(), db.traceSqlParameters());
    reads = new TenantReads(readClient, guarded, trace);
    diagnostics = new DatabaseDiagnostics(db, readClient, writePool, breaker, trace);
    writes = new Writes(vertx, breaker, writePool);
    consumer = vertx.eventBus().consumer(FeatureBus.DB_ADDRESS, this::onMessage);
    localConsumer = vertx.eventBus().localConsumer(FeatureBus.DB_LOCAL_ADDRESS, this::onMessage);
    return Future.all(consumer.completion(), localConsumer.completion(), trace.followCluster(vertx.eventBus()).completion());
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
          return Future.all(readClient.close(), writePool.close());
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
      case Actions.GET_TENANT_FEATURES -> withTenant(message, reads::features);
      case Actions.GET_TENANT_ROLES -> withTenant(message, reads::roles);
      case Actions.SET_SQL_TRACE -> setSqlTrace(message);
      case Actions.PING -> answer(message, null, diagnostics.ping(budget(message)));
      case Actions.GET_DB_DIAGNOSTICS -> diagnostics(message);
      case Actions.SET_OVERRIDE -> setOverride(message);
      case Actions.LIST_FLAGS -> answer(message, null, guarded.read(Deadline.in(budget(message)), writes.flags()::list));
      case Actions.WRITE_FLAG -> writeFlag(message);
      case Actions.GET_AUDIT -> withTenant(message, (tenant, deadline) -> reads.auditPage(tenant, limit(message),
          message.body().getLong(Fields.BEFORE), message.body().getString(Fields.FLAG), deadline));
      case Actions.LIST_TENANTS -> listTenants(message);
      case Actions.GET_FLAG -> answer(message, null, guarded.read(Deadline.in(budget(message)),
          () -> writes.flags().one(message.body().getString(Fields.NAME))));
      default -> message.fail(FailureCode.BAD_ACTION.code(), "unknown action '" + action + "'");
    }
  }

  /** A page's size as asked, within 1-500 (the HTTP side refuses others before they get here). */
  private static int limit(Message<JsonObject> message) {
    return Math.max(1, Math.min(message.body().getInteger(Fields.LIMIT, 50), 500));
  }

  private void listTenants(Message<JsonObject> message) {
    JsonObject body = message.body();
    List<String> scope = null;
    if (body.getJsonArray(Fields.TENANTS) != null) {
      scope = new ArrayList<>();
      for (Object id : body.getJsonArray(Fields.TENANTS)) {
        scope.add(TenantIds.canonical(String.valueOf(id)).orElse(null));
      }
    }
    String after = body.getString(Fields.AFTER);
    if ((scope != null && scope.contains(null)) || (after != null && TenantIds.canonical(after).isEmpty())) {
      message.fail(FailureCode.BAD_MESSAGE.code(), "'" + Fields.AFTER + "' and '" + Fields.TENANTS + "' hold tenant UUIDs");
      return;
    }
    answer(message, null, reads.tenantPage(after, limit(message), scope, Deadline.in(budget(message))));
  }

  private void setSqlTrace(Message<JsonObject> message) {
    Object enabled = message.body() == null ? null : message.body().getValue(Fields.ENABLED);
    if (!(enabled instanceof Boolean on)) {
      message.fail(FailureCode.BAD_MESSAGE.code(), "'" + Fields.ENABLED + "' must be true or false");
      return;
    }
    trace.switchEverywhere(vertx.eventBus(), on);
    message.reply(new JsonObject().put(Fields.ENABLED, trace.enabled()));
  }

  private void setOverride(Message<JsonObject> message) {
    Writes.OverrideRequest.from(message.body()).ifPresentOrElse(
        request -> withTenant(message, (tenant, deadline) -> writes.override(tenant, request, requestId(message), deadline)),
        () -> message.fail(FailureCode.BAD_MESSAGE.code(), Writes.OverrideRequest.EXPECTED));
  }

  private void writeFlag(Message<JsonObject> message) {
    Writes.FlagRequest.from(message.body()).ifPresentOrElse(
        request -> answer(message, null, writes.flag(request, requestId(message), Deadline.in(budget(message)))),
        () -> message.fail(FailureCode.BAD_MESSAGE.code(), Writes.FlagRequest.EXPECTED));
  }

  private static String requestId(Message<JsonObject> message) {
    return message.headers().get(FeatureBus.REQUEST_ID);
  }

  /**
   * Replies with the result, or fails with its code; counted as in flight until then. An
   * internal failure is logged with its stack trace, the others at DEBUG with their cause.
   */
  private void answer(Message<JsonObject> message, Object tenant, Future<JsonObject> result) {
    String requestId = requestId(message);
    inFlight++;
    result.onComplete(done -> {
      inFlight--;
      if (done.succeeded()) {
        // A request to the local-only address came from this JVM: its reply is handed over, not copied.
        if (FeatureBus.DB_LOCAL_ADDRESS.equals(message.address())) {
          message.reply(done.result(), LocalReplyCodec.OPTIONS);
        } else {
          message.reply(done.result());
        }
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


  private void diagnostics(Message<JsonObject> message) {
    diagnostics.report(budget(message)).onSuccess(message::reply);
  }

  /** A tenant's read or write, answered with a body or failed. */
  private interface TenantRead {
    Future<JsonObject> run(String tenantId, Deadline deadline);
  }

  private void withTenant(Message<JsonObject> message, TenantRead read) {
    JsonObject body = message.body();
    Object tenantId = body == null ? null : body.getValue(Fields.TENANT_ID);
    if (!TenantIds.isCanonical(tenantId)) {
      message.fail(FailureCode.BAD_MESSAGE.code(), "'" + Fields.TENANT_ID + "' must be a canonical lower-case UUID");
      return;
    }
    answer(message, tenantId, read.run((String) tenantId, Deadline.in(budget(message))));
  }

  private long budget(Message<JsonObject> message) {
    String header = message.headers().get(FeatureBus.BUDGET_MS);
    try {
      return header == null ? defaultBudgetMs : Math.min(Long.parseLong(header), defaultBudgetMs);
    } catch (NumberFormatException e) {
      return defaultBudgetMs;
    }
  }
}
