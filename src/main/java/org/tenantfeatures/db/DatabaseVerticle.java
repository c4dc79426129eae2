package org.tenantfeatures.db;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.concurrent.TimeUnit;
import org.tenantfeatures.client.ContractBinding;
import org.tenantfeatures.client.FeatureBus;
import org.tenantfeatures.config.AppConfig;
import org.tenantfeatures.db.pool.PoolFactory;
import org.tenantfeatures.db.read.CatalogueReads;
import org.tenantfeatures.db.read.DirectoryReads;
import org.tenantfeatures.db.read.Populations;
import org.tenantfeatures.db.read.TenantReads;
import org.tenantfeatures.db.write.Writes;
import org.tenantfeatures.telemetry.Telemetry;

/**
 * Binds the contract's SQL side to {@link FeatureBus#DB_ADDRESS} (and, for its own node,
 * {@link FeatureBus#DB_LOCAL_ADDRESS}): it owns the connections (a pipelined client for reads, a
 * pool for write transactions and the node's own checks), the breaker and the SQL trace, hands
 * every message to {@link ContractBinding}, and leaves the cluster without failing requests in
 * flight.
 */
public class DatabaseVerticle extends VerticleBase {

  /** How long other nodes may still route here after this node left the address. */
  private static final long ROUTING_GRACE_MS = 1_000;

  private final AppConfig.Db db;
  private final int defaultBudgetMs;
  private final Telemetry telemetry;
  private SqlClient readClient;
  private Pool writePool;
  private CircuitBreaker breaker;
  private ContractBinding binding;
  private MessageConsumer<JsonObject> consumer;
  private MessageConsumer<JsonObject> localConsumer;
  /** Requests taken and not yet answered; only touched on this verticle's event loop. */
  private int inFlight;

  public DatabaseVerticle(AppConfig.Db db, int defaultBudgetMs, Telemetry telemetry) {
    this.db = db;
    this.defaultBudgetMs = defaultBudgetMs;
    this.telemetry = telemetry;
  }

  @Override
  public Future<?> start() {
    readClient = PoolFactory.createReadClient(vertx, db);
    writePool = PoolFactory.createWritePool(vertx, db);
    breaker = DatabaseBreaker.create(vertx, db.breaker(), telemetry);
    GuardedReads guarded = new GuardedReads(vertx, breaker, db.retry());
    SqlTrace trace = new SqlTrace(db.traceSql(), db.traceSqlParameters());
    Writes writes = new Writes(vertx, breaker, writePool);
    binding = ContractBinding.on(vertx,
        new SqlTenantMaps(new TenantReads(readClient, guarded, trace), writes),
        new SqlCatalogue(writePool, guarded, writes, new Populations(writePool, guarded), new CatalogueReads(readClient, guarded, trace)),
        new SqlDirectory(new DirectoryReads(readClient, guarded, trace), writes),
        new DatabaseDiagnostics(db, readClient, writePool, breaker, trace, vertx.eventBus(), telemetry),
        DbFailures::report, defaultBudgetMs);
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
    inFlight++;
    binding.handle(message).onComplete(answered -> inFlight--);
  }
}
