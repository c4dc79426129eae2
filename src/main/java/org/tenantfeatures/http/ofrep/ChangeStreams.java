package org.tenantfeatures.http.ofrep;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tenantfeatures.cache.CachedMap;
import org.tenantfeatures.client.ChangeEvent;
import org.tenantfeatures.config.AppConfig.TokenGrant;
import org.tenantfeatures.http.RequestIds;
import org.tenantfeatures.http.Routes;
import org.tenantfeatures.http.TenantMapSource;
import org.tenantfeatures.http.edge.VertxInternals;
import org.tenantfeatures.http.problem.Problem;
import org.tenantfeatures.http.problem.ProblemResponses;

/**
 * OFREP change streams (ADR-0008): {@code GET /ofrep/v1/events?ticket=...}, server-sent events,
 * one stream per tenant as the bulk answer advertises it. Whenever the tenant's map changes (a
 * write on any node, a direct SQL edit heard through NOTIFY, a catalogue change) the stream gets
 * {@code data: {"type":"refetchEvaluation","etag":...}} with the new bulk ETag, its event id that
 * ETag without quotes; a reconnect whose {@code Last-Event-ID} is not the current one gets a
 * refetch at once. A comment line every {@code http.streamHeartbeatMs} keeps proxies from cutting
 * an idle stream; a token holds at most {@code http.maxStreamsPerToken} on a node; a stream whose
 * client does not read is closed once {@code http.streamWriteQueueBytes} wait to be sent; streams end
 * when the node starts draining (with {@code retry:} so that clients reconnect at once, through the
 * load balancer, to another node). One per HTTP verticle instance: its streams live on its event
 * loop; the per-token counts are the node's.
 */
public final class ChangeStreams {

  private static final Logger log = LoggerFactory.getLogger(ChangeStreams.class);

  static final String TICKET = "ticket";

  /**
   * One open stream; {@code told}: the event id of the map it was last told of (or its client's
   * Last-Event-ID); {@code slow}: what to do with it when its client does not read.
   */
  private record Stream(HttpServerResponse response, String token, String tenantId, AtomicBoolean closed,
      AtomicReference<String> told, Consumer<Stream> slow) {

    /**
     * Writes, unless what was written before has not left yet: a client that does not read
     * (or reads too slowly) would otherwise make the server hold every event for it, without limit.
     */
    void send(String text) {
      if (closed.get()) {
        return;
      }
      if (response.writeQueueFull()) {
        slow.accept(this);
      } else {
        response.write(text);
      }
    }

    /**
     * Tells the client to evaluate again, unless it was already told of this very map: a node
     * hears each change up to four times (its own NOTIFY and a peer's, each published to the node
     * and to the cluster), and a provider would fetch again for every one. Null: the map could not
     * be read, so the event carries no ETag and is always sent.
     */
    void announce(CachedMap map) {
      if (map == null) {
        send(refetch(null));
      } else {
        String id = eventId(map);
        if (!id.equals(told.getAndSet(id))) {
          send(refetch(map));
        }
      }
    }
  }

  private final Vertx vertx;
  private final StreamTickets tickets;
  private final TenantMapSource tenants;
  private final NodeStreams node;
  /** This verticle's streams by tenant; touched on its event loop only. */
  private final Map<String, Set<Stream>> byTenant = new HashMap<>();
  private long heartbeats = -1;

  public ChangeStreams(Vertx vertx, StreamTickets tickets, TenantMapSource tenants, NodeStreams node) {
    this.vertx = vertx;
    this.tickets = tickets;
    this.tenants = tenants;
    this.node = node;
  }

  public Future<?> start() {
    Context context = vertx.getOrCreateContext();
    heartbeats = vertx.setPeriodic(node.settings().heartbeatMs(), id -> all().forEach(s -> s.send(": heartbeat\n\n")));
    node.lifecycle().onDrain(() -> context.runOnContext(v -> closeAll()));
    return ChangeEvent.subscribe(vertx, this::changed).completion();
  }

  public void stop() {
    vertx.cancelTimer(heartbeats);
    closeAll();
  }

  /** The stream URL's path and query for a bulk answer: OFREP's {@code eventStreams[].endpoint.requestUri}. */
  String requestUri(TokenGrant grant, String tenantId) {
    return Routes.OFREP_EVENTS + "?" + TICKET + "=" + tickets.issue(grant, tenantId, System.currentTimeMillis() / 1000);
  }

  public void open(RoutingContext ctx) {
    Optional<StreamTickets.Holder> holder = tickets.check(ctx.request().getParam(TICKET), System.currentTimeMillis() / 1000);
    if (holder.isEmpty()) {
      ProblemResponses.send(ctx, Problem.UNAUTHORIZED,
          "The stream's ticket is missing, expired or not valid: evaluate the flags in bulk again for a new stream URL.");
      return;
    }
    String token = holder.get().grant().name();
    AtomicInteger open = node.openPerToken().computeIfAbsent(token, t -> new AtomicInteger());
    if (open.incrementAndGet() > node.settings().maxPerToken()) {
      open.decrementAndGet();
      // A stream whose client went away is found by its next heartbeat, which frees its place.
      ProblemResponses.send(ctx, Problem.TOO_MANY_STREAMS, "This token holds " + node.settings().maxPerToken()
          + " change streams on this node already; close one, or poll the bulk evaluation instead.",
          Math.max(1, node.settings().heartbeatMs() / 1000));
      return;
    }
    HttpServerResponse response = ctx.response().setStatusCode(200).setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    // What a client that does not read can make this node hold: this much in the write queue, as
    // much in the kernel's send buffer (which Linux would otherwise let grow to megabytes).
    int queueBytes = node.settings().writeQueueBytes();
    response.setWriteQueueMaxSize(queueBytes);
    VertxInternals.setSendBuffer(ctx.request().connection(), queueBytes);
    Stream stream = new Stream(response, token, holder.get().tenantId(), new AtomicBoolean(),
        new AtomicReference<>(ctx.request().getHeader("Last-Event-ID")), this::closeSlow);
    response.closeHandler(v -> close(stream));
    // A client that loses the stream tries again a second later (EventSource's own default is 3 s).
    stream.send("retry: 1000\n\n");
    byTenant.computeIfAbsent(stream.tenantId(), t -> new LinkedHashSet<>()).add(stream);
    if (node.lifecycle().isDraining()) {
      close(stream); // reconnects through the load balancer, to a node that is not stopping
      return;
    }
    if (stream.told().get() != null) { // a reconnect: tell it at once if it missed a change
      tenants.map(stream.tenantId(), RequestIds.of(ctx), vertx.getOrCreateContext())
          .onSuccess(stream::announce)
          .onFailure(failure -> stream.announce(null));
    }
  }

  private void changed(ChangeEvent change) {
    List<String> affected = change.allTenants() ? new ArrayList<>(byTenant.keySet())
        : byTenant.containsKey(change.tenantId()) ? List.of(change.tenantId()) : List.of();
    for (String tenantId : affected) {
      // This node's cache invalidation hears the same event on a context of its own, in no set
      // order with this one: read through unless the cached map is known to be new enough.
      tenants.map(tenantId, "change-stream", vertx.getOrCreateContext())
          .compose(map -> change.allTenants() || change.revision() == null || map.revision() < change.revision()
              ? tenants.reload(tenantId, "change-stream", vertx.getOrCreateContext()) : Future.succeededFuture(map))
          .onComplete(read -> {
            Set<Stream> streams = byTenant.get(tenantId);
            if (streams != null) {
              List.copyOf(streams).forEach(s -> s.announce(read.succeeded() ? read.result() : null));
            }
          });
    }
  }

  /** The event telling a provider to evaluate again; with the new ETag when the map could be read. */
  private static String refetch(CachedMap map) {
    JsonObject data = new JsonObject().put("type", "refetchEvaluation");
    if (map == null) {
      return "event: message\ndata: " + data.encode() + "\n\n";
    }
    data.put("etag", map.etag()).put("lastModified", System.currentTimeMillis() / 1000);
    return "id: " + eventId(map) + "\nevent: message\ndata: " + data.encode() + "\n\n";
  }

  private static String eventId(CachedMap map) {
    return map.etag().replace("\"", "");
  }

  private List<Stream> all() {
    List<Stream> streams = new ArrayList<>();
    byTenant.values().forEach(streams::addAll);
    return streams;
  }

  /** A stream whose client does not read: closed at once, the connection with it, and what it held dropped. */
  private void closeSlow(Stream stream) {
    if (!stream.closed().get()) {
      log.debug("Closing a change stream of token {} for tenant {}: its client does not read (http.streamWriteQueueBytes)",
          stream.token(), stream.tenantId());
      close(stream, true);
      node.closedSlow().run();
    }
  }

  private void close(Stream stream) {
    close(stream, false);
  }

  /** Ends the stream; {@code cut}: by closing its connection, without waiting for what is queued to leave. */
  private void close(Stream stream, boolean cut) {
    if (!stream.closed().getAndSet(true)) {
      node.openPerToken().computeIfPresent(stream.token(), (t, n) -> n.decrementAndGet() <= 0 ? null : n);
      Set<Stream> ofTenant = byTenant.get(stream.tenantId());
      if (ofTenant != null && ofTenant.remove(stream) && ofTenant.isEmpty()) {
        byTenant.remove(stream.tenantId());
      }
      if (!stream.response().ended() && !stream.response().closed()) {
        if (cut) {
          stream.response().reset(); // HTTP/1.x: closes the connection
        } else {
          stream.response().end();
        }
      }
    }
  }

  private void closeAll() {
    all().forEach(this::close);
  }
}
