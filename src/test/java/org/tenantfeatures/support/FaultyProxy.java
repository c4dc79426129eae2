package org.tenantfeatures.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy to put between a service and its PostgreSQL so a test can break the network on
 * purpose: cut it, slow it down, or make it swallow packets, and then heal it, all without
 * touching the database server or the service.
 *
 * <p>Threading: each proxied pair (client socket + upstream socket) lives on the one event loop
 * that accepted the client, so its forwarding state needs no locks. The mode is a single volatile
 * value read once per chunk, so a test thread may switch it at any time; anything that must touch
 * sockets (cutting, closing) is handed to the pair's own context.
 *
 * <p>Not {@link AutoCloseable}: its close() returns void, and blocking on a close from an event
 * loop would deadlock, so {@link #close()} returns a future instead.
 */
public final class FaultyProxy {

  /**
   * Bytes a direction may hold in its delay queue before it stops reading from its source. Keeps
   * a delayed bulk transfer from buffering without bound: TCP flow control takes over instead.
   */
  private static final long MAX_QUEUED_BYTES = 1024 * 1024;

  private static final String LISTEN_HOST = "127.0.0.1";

  /** host[:port] (or [v6]:port) after the scheme and optional user info, up to the path. */
  private static final Pattern URI_AUTHORITY = Pattern.compile("^(postgres(?:ql)?://(?:[^@/?#]*@)?)([^/?#]+)(.*)$");

  private enum Mode { PASS, DELAY, BLACKHOLE, CUT, CLOSED }

  /** Mode and its delay in one immutable value, so a switch is seen whole or not at all. */
  private record State(Mode mode, long delayNanos) {
  }

  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final NetClient client;
  private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
  private volatile State state = new State(Mode.PASS, 0);
  private NetServer server;

  private FaultyProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
  }

  /** Starts a proxy to targetHost:targetPort listening on 127.0.0.1 at a free port, in pass mode. */
  public static Future<FaultyProxy> start(Vertx vertx, String targetHost, int targetPort) {
    FaultyProxy proxy = new FaultyProxy(vertx, targetHost, targetPort);
    return vertx.createNetServer()
        .connectHandler(proxy::accept)
        .listen(0, LISTEN_HOST)
        .map(s -> {
          proxy.server = s;
          return proxy;
        })
        .recover(e -> proxy.client.close().transform(ignored -> Future.failedFuture(e)));
  }

  public int port() {
    return server.actualPort();
  }

  /**
   * The same PostgreSQL URI with its host:port replaced by the proxy's, so a service configured
   * with it reaches the database only through the proxy. Query parameters such as {@code host=}
   * that would override the authority are not rewritten; don't use them with this.
   */
  public String uriFor(String postgresUri) {
    Matcher m = URI_AUTHORITY.matcher(postgresUri);
    if (!m.matches() || m.group(2).contains(",")) {
      throw new IllegalArgumentException("not a single-host postgresql:// URI: " + postgresUri);
    }
    return m.group(1) + LISTEN_HOST + ":" + port() + m.group(3);
  }

  /**
   * Forwards normally. Chunks still held by an earlier delay are written first, so the byte order
   * never changes; connections that lost bytes to blackhole() stay as they are (see there).
   */
  public void pass() {
    setMode(new State(Mode.PASS, 0));
  }

  /**
   * Closes every open connection, both sides, and until the next mode switch accepts new
   * connections only to close them at once: a client's connect succeeds and its connection then
   * closes, rather than being refused, so it fails the way a dropped connection does. Open
   * connections are closed abruptly, dropping bytes not yet delivered. The future completes when
   * every connection that was open has closed.
   */
  public Future<Void> cut() {
    setMode(new State(Mode.CUT, 0));
    return closeAllPairs();
  }

  /**
   * Forwards, but holds every chunk in both directions for ms before writing it, so a round trip
   * takes at least 2 * ms. A chunk is never written before one read earlier in the same direction.
   */
  public void delay(long ms) {
    if (ms < 0) {
      throw new IllegalArgumentException("delay must be >= 0: " + ms);
    }
    setMode(new State(Mode.DELAY, TimeUnit.MILLISECONDS.toNanos(ms)));
  }

  /**
   * Keeps connections open but forwards nothing: what is read is dropped, including chunks still
   * held by an earlier delay. A partition where packets vanish: the peers see neither data nor a
   * close, so only their own timeouts can notice. Unlike a real partition, TCP will not retransmit
   * the lost bytes afterwards, so a connection that lost bytes is corrupt for its protocol even
   * after pass(); cut() it if the test needs healthy connections again. A close by either peer
   * is still passed on, so a peer that gives up does not leave its pair open behind it.
   */
  public void blackhole() {
    setMode(new State(Mode.BLACKHOLE, 0));
  }

  /**
   * Client connections accepted and not yet fully closed (including one whose upstream connect is
   * still in progress). Connections refused while cut are never counted.
   */
  public int openConnections() {
    return pairs.size();
  }

  /** Stops listening and closes every connection and the upstream client. Idempotent. */
  public Future<Void> close() {
    setMode(new State(Mode.CLOSED, 0));
    Future<Void> serverClosed = server == null ? Future.succeededFuture() : server.close();
    return Future.join(serverClosed, closeAllPairs())
        .transform(ignored -> client.close())
        .mapEmpty();
  }

  private synchronized void setMode(State next) {
    // Once closed, stay closed: a late mode switch from a test must not reopen anything.
    if (state.mode() != Mode.CLOSED) {
      state = next;
    }
  }

  private Future<Void> closeAllPairs() {
    List<Future<Void>> closing = new ArrayList<>();
    for (Pair pair : pairs) {
      closing.add(pair.closeFromAnyThread());
    }
    return Future.join(closing).mapEmpty();
  }

  private boolean refusing() {
    Mode mode = state.mode();
    return mode == Mode.CUT || mode == Mode.CLOSED;
  }

  private void accept(NetSocket inbound) {
    if (refusing()) {
      inbound.close();
      return;
    }
    Pair pair = new Pair(vertx.getOrCreateContext(), inbound);
    pairs.add(pair);
    // cut() sets the mode before walking the set: either it saw this pair, or we see its mode now.
    if (refusing()) {
      pair.abort();
      return;
    }
    pair.connectUpstream();
  }

  /**
   * One proxied connection. Every method but closeFromAnyThread runs on ctx, the event loop of
   * the accepted socket; the upstream socket is connected from that context and so shares it.
   */
  private final class Pair {
    private final Context ctx;
    private final NetSocket inbound;
    private final Promise<Void> closed = Promise.promise();
    private NetSocket upstream;
    private boolean connecting;
    private boolean closing;
    private boolean aborting;
    private boolean inboundClosed;
    private boolean upstreamClosed;
    private Direction toUpstream;
    private Direction toClient;

    Pair(Context ctx, NetSocket inbound) {
      this.ctx = ctx;
      this.inbound = inbound;
    }

    void connectUpstream() {
      // Read nothing until there is somewhere to write it.
      inbound.pause();
      inbound.closeHandler(v -> onClosed(true));
      inbound.exceptionHandler(e -> abort());
      connecting = true;
      client.connect(targetPort, targetHost).onComplete(ar -> {
        connecting = false;
        if (ar.failed()) {
          upstreamClosed = true;
          closeNow();
          return;
        }
        upstream = ar.result();
        assert Vertx.currentContext() == ctx : "upstream socket on another context";
        if (closing) {
          upstream.closeHandler(v -> onClosed(false));
          closeSocket(upstream, aborting);
          return;
        }
        upstream.closeHandler(v -> onClosed(false));
        upstream.exceptionHandler(e -> abort());
        toUpstream = new Direction(this, inbound, upstream);
        toClient = new Direction(this, upstream, inbound);
        toUpstream.start();
        toClient.start();
      });
    }

    /** For cut() and close(): abrupt, as a network failure would be. */
    Future<Void> closeFromAnyThread() {
      ctx.runOnContext(v -> abort());
      return closed.future();
    }

    /**
     * Closes both sides gracefully: what is already written to a socket still goes out before its
     * FIN. Anything still held by a delay is dropped.
     */
    void closeNow() {
      close(false);
    }

    /** Closes both sides at once, dropping even bytes already written but not yet flushed. */
    void abort() {
      close(true);
    }

    private void close(boolean abrupt) {
      closing = true;
      // A close handler may run in the middle of an abort; it must not turn it graceful again.
      aborting |= abrupt;
      discard(toUpstream);
      discard(toClient);
      if (!inboundClosed) {
        closeSocket(inbound, aborting);
      }
      if (upstream != null && !upstreamClosed) {
        closeSocket(upstream, aborting);
      }
      maybeFinished();
    }

    /** One side closed: the other follows, after the bytes the closed side sent have gone out. */
    void onClosed(boolean inboundSide) {
      if (inboundSide) {
        inboundClosed = true;
      } else {
        upstreamClosed = true;
      }
      if (upstream == null) {
        // Closed before (or while) the upstream connects: nothing was forwarded yet.
        closeNow();
        return;
      }
      Direction fromClosedSide = inboundSide ? toUpstream : toClient;
      Direction toClosedSide = inboundSide ? toClient : toUpstream;
      // Nothing can be written to a closed socket any more.
      discard(toClosedSide);
      if (fromClosedSide == null || fromClosedSide.isIdle()) {
        closeNow();
      } else {
        fromClosedSide.closeTargetWhenDrained = true;
      }
    }

    private void discard(Direction d) {
      if (d != null) {
        d.discard();
      }
    }

    private void maybeFinished() {
      boolean upstreamDone = upstreamClosed || (upstream == null && !connecting);
      if (inboundClosed && upstreamDone && !closed.future().isComplete()) {
        pairs.remove(this);
        closed.complete();
      }
    }
  }

  /**
   * NetSocket.close() first flushes what was written, so against a peer that reads nothing it
   * never completes; a cut must not wait for that. Even channel().close() goes through Vert.x's
   * own handler, which makes it just as graceful, so the close starts at that handler's context
   * and goes straight to the transport, dropping the unflushed bytes. The closeHandler still
   * fires. Internal API (tested by cutWithStalledPeer), hence the fallback.
   */
  private static void closeSocket(NetSocket socket, boolean abrupt) {
    if (abrupt && socket instanceof NetSocketInternal internal) {
      internal.channelHandlerContext().close();
    } else {
      socket.close();
    }
  }

  /** A held chunk and the earliest time it may be written. */
  private record Held(Buffer data, long dueNanos) {
  }

  /**
   * Bytes flowing one way through a pair. A chunk is written at once only when nothing is held
   * ahead of it; otherwise it joins a FIFO queue whose due times never decrease, drained by a
   * single timer. That is what keeps byte order when delays change or a delay ends.
   */
  private final class Direction {
    private final Pair pair;
    private final NetSocket source;
    private final NetSocket target;
    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long lastDueNanos = Long.MIN_VALUE;
    private long timerId = -1;
    private boolean sourcePaused;
    private boolean discarded;
    boolean closeTargetWhenDrained;

    Direction(Pair pair, NetSocket source, NetSocket target) {
      this.pair = pair;
      this.source = source;
      this.target = target;
    }

    void start() {
      source.handler(this::onChunk);
      source.resume();
    }

    boolean isIdle() {
      return queue.isEmpty();
    }

    private void onChunk(Buffer chunk) {
      if (discarded) {
        return;
      }
      State s = state;
      switch (s.mode()) {
        case PASS -> {
          if (queue.isEmpty()) {
            write(chunk);
          } else {
            hold(chunk, System.nanoTime());
          }
        }
        case DELAY -> hold(chunk, System.nanoTime() + s.delayNanos());
        default -> {
          // BLACKHOLE drops; CUT and CLOSED are closing this pair already.
        }
      }
    }

    private void hold(Buffer chunk, long dueNanos) {
      // Never due before a chunk read earlier: a shorter delay set later must not overtake.
      lastDueNanos = Math.max(lastDueNanos, dueNanos);
      queue.add(new Held(chunk, lastDueNanos));
      queuedBytes += chunk.length();
      if (queuedBytes > MAX_QUEUED_BYTES) {
        pauseSource();
      }
      scheduleHead();
    }

    private void scheduleHead() {
      if (timerId >= 0 || queue.isEmpty() || discarded) {
        return;
      }
      long waitNanos = queue.peek().dueNanos() - System.nanoTime();
      long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
      timerId = vertx.setTimer(waitMs, id -> {
        timerId = -1;
        flushDue();
      });
    }

    private void flushDue() {
      if (discarded) {
        return;
      }
      long now = System.nanoTime();
      // A timer may fire a little early; the loop condition and the re-schedule below cover it.
      while (!queue.isEmpty() && queue.peek().dueNanos() - now <= 0) {
        Held h = queue.poll();
        queuedBytes -= h.data().length();
        Mode mode = state.mode();
        if (mode == Mode.PASS || mode == Mode.DELAY) {
          write(h.data());
        }
      }
      if (queue.isEmpty() && closeTargetWhenDrained) {
        pair.closeNow();
        return;
      }
      scheduleHead();
      maybeResumeSource();
    }

    private void write(Buffer chunk) {
      target.write(chunk);
      if (target.writeQueueFull()) {
        // Backpressure: stop reading until the target has flushed, as pipeTo would.
        pauseSource();
        target.drainHandler(v -> maybeResumeSource());
      }
    }

    private void pauseSource() {
      if (!sourcePaused) {
        sourcePaused = true;
        source.pause();
      }
    }

    private void maybeResumeSource() {
      if (sourcePaused && !discarded && !target.writeQueueFull() && queuedBytes <= MAX_QUEUED_BYTES) {
        sourcePaused = false;
        source.resume();
      }
    }

    void discard() {
      discarded = true;
      queue.clear();
      queuedBytes = 0;
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
        timerId = -1;
      }
    }
  }
}
