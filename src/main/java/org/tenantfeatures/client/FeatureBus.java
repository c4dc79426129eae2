package org.tenantfeatures.client;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * The event-bus contract between the HTTP side and the database side: addresses, the action
 * header, message fields. Both sides use only these names, so a reader finds the whole protocol
 * here. Messages are {@code JsonObject}s; failures travel as {@code message.fail(code, text)}
 * with the codes in {@link FailureCode}.
 */
public final class FeatureBus {

  /** Point-to-point address of the database verticle. */
  public static final String DB_ADDRESS = "tenant-features.db";
  /**
   * The same database verticle, reachable from its own node only: readiness asks here, so that a
   * node's health is its own, not that of whichever node the cluster routes to (a node stopping
   * elsewhere made both nodes look down to the load balancer).
   */
  public static final String DB_LOCAL_ADDRESS = "tenant-features.db.local";
  /**
   * Published (to every consumer, on every node) once a change of a tenant's overrides is
   * committed: {@code {tenantId, flag, revision, source}}; {@code tenantId} null means every
   * tenant (a flag was added, renamed or removed). Consumers must be idempotent: one change is
   * announced by its writer and again by the database's notification, once per node with a
   * database verticle (each listens on its own connection, so that a node hears the changes
   * itself, whatever the state of the cluster), and on the announcing node twice (its own
   * consumers first, without waiting for the cluster: {@link ChangeEvent#publish}).
   */
  public static final String FEATURES_CHANGED = "features.changed";
  /**
   * Published by every change listener (one per node with a database verticle), to every node:
   * {@code {listener, listening}}, at once when its LISTEN starts or its connection is lost, and
   * every {@link ChangeListenerState#HEARTBEAT_MS} while it listens. While no listener is heard,
   * changes may go unannounced: a cache that relies on {@link #FEATURES_CHANGED} must not trust
   * itself then ({@link ChangeListenerState}).
   */
  public static final String CHANGE_LISTENERS = "features.change-listeners";
  /**
   * Published by the database verticle that was asked to switch the SQL trace, to the database
   * verticles of every node: {@code {enabled}}. An operator's switch is the cluster's.
   */
  public static final String SQL_TRACE_SWITCHED = "tenant-features.sql-trace";

  /** Header naming the action a message asks for. */
  public static final String ACTION = "action";
  /**
   * Header with the milliseconds the sender will still wait for the reply. The receiver must
   * answer (with a result or a failure) within it; a reply after it is never read.
   */
  public static final String BUDGET_MS = "budget-ms";
  /** Header with the HTTP request's id, for the receiver's log lines. */
  public static final String REQUEST_ID = "request-id";

  private FeatureBus() {
  }

  /**
   * Publishes {@code body} to every consumer of {@code address} on every node: first to this
   * node's own consumers alone, then, clustered, to every node (this one again). A clustered
   * publish first asks the cluster manager who subscribes, and that waits while Hazelcast
   * repartitions for a node joining or leaving; a node's own consumers must not wait for it (seen
   * in a rolling restart: a node that had just joined heard its own database's notifications 2 s
   * late, and served maps that stale).
   */
  static void publishEverywhere(Vertx vertx, String address, JsonObject body) {
    vertx.eventBus().publish(address, body, new DeliveryOptions().setLocalOnly(true));
    if (vertx.isClustered()) {
      vertx.eventBus().publish(address, body);
    }
  }

  /** Values of the {@link #ACTION} header. */
  public static final class Actions {
    /** Request {@code {tenantId}}; reply {@code {tenantId, features: {name: bool, ...}}}. */
    public static final String GET_TENANT_FEATURES = "get-tenant-features";
    /** Request {@code {tenantId}}; reply {@code {tenantId, roles: [{name, description}, ...]}}. */
    public static final String GET_TENANT_ROLES = "get-tenant-roles";
    /** Request {@code {enabled: bool}}; reply {@code {enabled}}: switches the SQL trace of the receiving node. */
    public static final String SET_SQL_TRACE = "set-sql-trace";
    /** Request {@code {}}; reply {@code {breaker}} once the database answered a trivial query. */
    public static final String PING = "ping";
    /** Request {@code {}}; reply: pool limits and live state, the database's view, breaker (see README). */
    public static final String GET_DB_DIAGNOSTICS = "get-db-diagnostics";
    /**
     * Request {@code {tenantId, flag, enabled, actor}}, {@code enabled} true, false or null (back
     * to the default); reply {@code {tenantId, flag, enabled, revision}}. One transaction with its
     * audit row; never retried.
     */
    public static final String SET_OVERRIDE = "set-override";
    /**
     * Request {@code {tenantId, limit, before, flag}} ({@code before}: an entry id, or null for the
     * newest; {@code flag}: only that flag's entries, or null for all); reply {@code {entries: [...newest first], next}} ({@code next}: the {@code before}
     * of the following page, null after the last).
     */
    public static final String GET_AUDIT = "get-audit";
    /**
     * Request {@code {after, limit, tenants}} ({@code after}: a tenant id or null for the first
     * page; {@code tenants}: the ids a scoped token reaches, or null for all); reply
     * {@code {tenants: [{tenantId, revision, overrides}, ...] by id, next}}: the tenants whose
     * overrides were ever changed ({@code next}: the {@code after} of the following page, null
     * after the last).
     */
    public static final String LIST_TENANTS = "list-tenants";
    /** Request {@code {name}}; reply {@code {name, description, overrides}} (how many tenants override it), or 404. */
    public static final String GET_FLAG = "get-flag";
    /** Request {@code {}}; reply {@code {flags: [{name, description}, ...]}} by name. */
    public static final String LIST_FLAGS = "list-flags";
    /**
     * Request {@code {op: create|describe|delete, name, description, actor}}; reply the flag.
     * One transaction with its audit row; never retried.
     */
    public static final String WRITE_FLAG = "write-flag";

    private Actions() {
    }
  }

  /** Field names of request and reply bodies. */
  public static final class Fields {
    /** Canonical lower-case UUID of the tenant. */
    public static final String TENANT_ID = "tenantId";
    /** Object of flag name to boolean: every flag, complete. */
    public static final String FEATURES = "features";
    /** Array of role objects. */
    public static final String ROLES = "roles";
    public static final String NAME = "name";
    public static final String DESCRIPTION = "description";
    public static final String ENABLED = "enabled";
    public static final String BREAKER = "breaker";
    /**
     * In replies to {@code get-tenant-features} and {@code get-tenant-roles} only: milliseconds
     * the database side spent, retries and pool wait included, for Server-Timing. Never in a
     * reply that the HTTP side answers with as it is.
     */
    public static final String DB_MS = "dbMs";
    public static final String FLAG = "flag";
    /** The flags of a tenant map that are the tenant's own overrides (the others are the default, false). */
    public static final String OVERRIDDEN = "overridden";
    public static final String ACTOR = "actor";
    public static final String REVISION = "revision";
    /** Where a change event came from: {@code service} (the writer) or {@code database} (NOTIFY). */
    public static final String SOURCE = "source";
    /** A change listener's id (random, new with each start of the listener). */
    public static final String LISTENER = "listener";
    public static final String LISTENING = "listening";
    public static final String LIMIT = "limit";
    public static final String AFTER = "after";
    public static final String TENANTS = "tenants";
    public static final String OVERRIDES = "overrides";
    public static final String FLAGS = "flags";
    public static final String OP = "op";
    public static final String BEFORE = "before";
    public static final String ENTRIES = "entries";
    public static final String NEXT = "next";

    private Fields() {
    }
  }
}
