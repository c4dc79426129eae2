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
  public static final String DB_ADDRESS = "features.db";
  /**
   * The same database verticle, reachable from its own node only: readiness asks here, so that a
   * node's health is its own, not that of whichever node the cluster routes to (a node stopping
   * elsewhere made both nodes look down to the load balancer).
   */
  public static final String DB_LOCAL_ADDRESS = "features.db.local";
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
  public static final String SQL_TRACE_SWITCHED = "features.sql-trace";

  /** Header naming the action a message asks for. */
  public static final String ACTION = "action";
  /**
   * Header with the milliseconds the sender will still wait for the reply. The receiver must
   * answer (with a result or a failure) within it; a reply after it is never read.
   */
  public static final String BUDGET_MS = "budget-ms";
  /** Header with the HTTP request's id, for the receiver's log lines. */
  public static final String REQUEST_ID = "request-id";
  /**
   * Reply header with the milliseconds the database side spent on the request, retries and pool
   * wait included ({@link Call#dbMs()}): outside the body, so that no caller has to strip it.
   */
  public static final String DB_MS = "db-ms";

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

  /**
   * Values of the {@link #ACTION} header: one per method of the contract's interfaces, under the
   * method's own name ({@link TenantMaps}, {@link Catalogue}, {@link Directory}, {@link Diagnostics});
   * the request and reply bodies are {@link ContractBinding}'s and {@link DatabaseClient}'s.
   */
  public static final class Actions {
    /** {@link TenantMaps#tenantMap}: {@code {tenantId}} → {@code {tenantId, features, overridden, bySegment, inRollout, revision, inputs}}. */
    public static final String TENANT_MAP = "tenant-map";
    /** {@link TenantMaps#roles}: {@code {tenantId}} → {@code {roles: [...]}}. */
    public static final String ROLES = "roles";
    /** {@link TenantMaps#setOverride}: {@code {tenantId, flag, enabled, actor}} → {@code {tenantId, flag, enabled, revision}}. */
    public static final String SET_OVERRIDE = "set-override";
    /** {@link TenantMaps#explain}: {@code {tenantId, flag}} → why the tenant has its value of the flag. */
    public static final String EXPLAIN = "explain";
    /** {@link Catalogue#catalogue}: {@code {}} → {@code {version, flags: [{id, name, targeting}], segments: [{name, definition}]}}. */
    public static final String CATALOGUE = "catalogue";
    /** {@link Catalogue#listFlags}: {@code {}} → {@code {flags}}. */
    public static final String LIST_FLAGS = "list-flags";
    /** {@link Catalogue#getFlag}: {@code {name}} → {@code {name, description, overrides}}. */
    public static final String GET_FLAG = "get-flag";
    /** {@link Catalogue#writeFlag}: {@code {change, name, description, actor}} → the flag. */
    public static final String WRITE_FLAG = "write-flag";
    /** {@link Catalogue#setTargeting}: {@code {name, targeting, actor}} → {@code {name, targeting}}. */
    public static final String SET_TARGETING = "set-targeting";
    /** {@link Catalogue#population}: {@code {name, value, reason, after, limit}} → the counts and a page of tenants. */
    public static final String POPULATION = "population";
    /** {@link Catalogue#previewTargeting}: {@code {name, targeting, limit}} → the tenants a targeting would change. */
    public static final String PREVIEW_TARGETING = "preview-targeting";
    /** {@link Catalogue#listSegments}: {@code {}} → {@code {segments}}. */
    public static final String LIST_SEGMENTS = "list-segments";
    /** {@link Catalogue#getSegment}: {@code {name}} → the segment and the flags using it. */
    public static final String GET_SEGMENT = "get-segment";
    /** {@link Catalogue#putSegment}: {@code {name, definition, actor}} → the segment. */
    public static final String PUT_SEGMENT = "put-segment";
    /** {@link Catalogue#deleteSegment}: {@code {name, actor}} → {@code {name}}. */
    public static final String DELETE_SEGMENT = "delete-segment";
    /** {@link Directory#getTenant}: {@code {tenantId}} → the tenant's record. */
    public static final String GET_TENANT = "get-tenant";
    /** {@link Directory#putTenant}: {@code {tenantId, name, attributes, actor}} → the tenant's record. */
    public static final String PUT_TENANT = "put-tenant";
    /** {@link Directory#putTenants}: {@code {tenants, actor}} → {@code {received, changed}}. */
    public static final String PUT_TENANTS = "put-tenants";
    /** {@link Directory#tenantPage}: {@code {after, limit, tenants, prefix, attribute}} → {@code {tenants, next}}. */
    public static final String TENANT_PAGE = "tenant-page";
    /** {@link Directory#auditPage}: {@code {tenantId, limit, before, flag}} → {@code {entries, next}}. */
    public static final String AUDIT_PAGE = "audit-page";
    /** {@link Directory#catalogueAuditPage}: {@code {limit, before, flag, segment}} → {@code {entries, next}}. */
    public static final String CATALOGUE_AUDIT_PAGE = "catalogue-audit-page";
    /** {@link Diagnostics#ping}: {@code {}} → {@code {breaker}}. */
    public static final String PING = "ping";
    /** {@link Diagnostics#dbDiagnostics}: {@code {}} → the report. */
    public static final String DB_DIAGNOSTICS = "db-diagnostics";
    /** {@link Diagnostics#setSqlTrace}: {@code {enabled}} → {@code {enabled}}. */
    public static final String SET_SQL_TRACE = "set-sql-trace";

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
    public static final String FLAG = "flag";
    public static final String SEGMENT = "segment";
    /** The flags of a tenant map that are the tenant's own overrides (the others are the default, false). */
    public static final String OVERRIDDEN = "overridden";
    /** The flags of a tenant map a segment rule decided, each with its segment. */
    public static final String BY_SEGMENT = "bySegment";
    /** The flags of a tenant map whose rollout holds the tenant. */
    public static final String IN_ROLLOUT = "inRollout";
    /** What a tenant map was evaluated from ({@link TenantInputs}). */
    public static final String INPUTS = "inputs";
    public static final String VERSION = "version";
    /** On a change event: the catalogue alone changed (true), or maybe the tenants' inputs too. */
    public static final String CATALOGUE = "catalogue";
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
    /** A {@link FlagChange}'s wire name. */
    public static final String CHANGE = "change";
    public static final String BEFORE = "before";
    public static final String ENTRIES = "entries";
    public static final String NEXT = "next";
    /** A flag's targeting: evaluation.Targeting's JSON form. */
    public static final String TARGETING = "targeting";
    /** A segment's definition: evaluation.Segment's JSON form without its name. */
    public static final String DEFINITION = "definition";
    public static final String SEGMENTS = "segments";
    /** A tenant's attributes: evaluation.Attributes' JSON form. */
    public static final String ATTRIBUTES = "attributes";
    /** A name prefix a search matches. */
    public static final String PREFIX = "prefix";
    /** A flag's value a population page is limited to. */
    public static final String VALUE = "value";
    /** An evaluation reason's wire name ({@code override}, {@code segment}, {@code rollout}, {@code default}). */
    public static final String REASON = "reason";
    /** {@code {name: value}}: an attribute a search matches. */
    public static final String ATTRIBUTE = "attribute";

    private Fields() {
    }
  }
}
