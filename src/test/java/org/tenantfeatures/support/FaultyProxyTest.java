package org.tenantfeatures.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The proxy against an echo server: what the client writes comes back through both directions
 * of the proxy, so every fault shows up as a missing, late or closed echo. The tests block the
 * JUnit thread on futures (never an event loop), and wait on events or poll with a deadline.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("FaultyProxy")
class FaultyProxyTest {

  private static final long WAIT_S = 5;
  /**
   * Well beyond what the buffers between client, proxy and a stalled target hold: the proxy's
   * kernel buffers grow to a few MiB, the ends' are kept small (see smallBuffers()).
   */
  private static final int STALL_BYTES = 32 * 1024 * 1024;
  private static final int SMALL_BUFFER = 64 * 1024;

  private Vertx vertx;
  private NetServer echo;
  private NetClient client;
  private FaultyProxy proxy;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    // pipeTo echoes with backpressure, so a large transfer also tests the proxy's.
    echo = vertx.createNetServer().connectHandler(s -> s.pipeTo(s)).listen(0, "127.0.0.1").await(WAIT_S, TimeUnit.SECONDS);
    proxy = FaultyProxy.start(vertx, "127.0.0.1", echo.actualPort()).await(WAIT_S, TimeUnit.SECONDS);
    client = vertx.createNetClient();
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close().await(WAIT_S, TimeUnit.SECONDS);
    client.close().await(WAIT_S, TimeUnit.SECONDS);
    echo.close().await(WAIT_S, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("pass mode echoes bytes and counts the open connection until it closes")
  void passEchoes() throws Exception {
    Peer peer = echoing("hello");
    assertThat(proxy.openConnections()).isEqualTo(1);

    Peer second = echoing("again");
    assertThat(proxy.openConnections()).isEqualTo(2);

    peer.socket.close().await(WAIT_S, TimeUnit.SECONDS);
    eventually(() -> proxy.openConnections() == 1);
    second.socket.close().await(WAIT_S, TimeUnit.SECONDS);
    eventually(() -> proxy.openConnections() == 0);
  }

  @Test
  @DisplayName("a large transfer arrives whole and in order, with and without delay")
  void largeTransfer() throws Exception {
    byte[] bytes = new byte[4 * 1024 * 1024];
    new Random(42).nextBytes(bytes);
    Buffer data = Buffer.buffer(bytes);

    Peer passing = connect();
    writeInChunks(passing.socket, data, 64 * 1024);
    assertThat(passing.received(data.length()).getBytes()).isEqualTo(bytes);

    proxy.delay(20);
    Peer delayed = connect();
    writeInChunks(delayed.socket, data, 64 * 1024);
    assertThat(delayed.received(data.length()).getBytes()).isEqualTo(bytes);
  }

  /** A case with a proxy in front of a target that reads nothing until resumed, and a client connected through it. */
  private interface StalledCase {
    void run(StalledTarget target, FaultyProxy toTarget, Peer peer) throws Exception;
  }

  private void withStalledTarget(StalledCase test) throws Exception {
    StalledTarget target = StalledTarget.start(vertx);
    FaultyProxy toTarget = FaultyProxy.start(vertx, "127.0.0.1", target.port()).await(WAIT_S, TimeUnit.SECONDS);
    try {
      test.run(target, toTarget, connect(smallBuffers(), toTarget.port()));
    } finally {
      toTarget.close().await(WAIT_S, TimeUnit.SECONDS);
      target.close();
    }
  }

  @Test
  @DisplayName("a target that stops reading stops the proxy reading from the client")
  void backpressure() throws Exception {
    withStalledTarget((target, toTarget, peer) -> {
      // Completes once the last byte is handed to the client's kernel.
      Future<Void> allSent = writeInChunks(peer.socket, Buffer.buffer(new byte[STALL_BYTES]), 64 * 1024);

      // Without backpressure the proxy would read all of it into memory and the client finish.
      vertx.timer(500).await(WAIT_S, TimeUnit.SECONDS);
      assertThat(allSent.isComplete()).as("client sent everything while the target reads nothing").isFalse();

      target.resume();
      allSent.await(WAIT_S, TimeUnit.SECONDS);
      eventually(() -> target.received() == STALL_BYTES);
    });
  }

  @Test
  @DisplayName("cut is immediate even with bytes queued for a peer that reads nothing")
  void cutWithStalledPeer() throws Exception {
    withStalledTarget((target, toTarget, peer) -> {
      writeInChunks(peer.socket, Buffer.buffer(new byte[STALL_BYTES]), 64 * 1024);
      // Time for the bytes to fill every buffer on the way; a graceful close would now wait forever.
      vertx.timer(300).await(WAIT_S, TimeUnit.SECONDS);

      long t0 = System.nanoTime();
      toTarget.cut().await(WAIT_S, TimeUnit.SECONDS);
      peer.closed.future().await(WAIT_S, TimeUnit.SECONDS);
      assertThat(elapsedMs(t0)).isLessThan(1_000);
      assertThat(toTarget.openConnections()).isZero();
    });
  }

  @Test
  @DisplayName("delay holds every chunk in both directions and keeps their order")
  void delayHoldsAndKeepsOrder() throws Exception {
    Peer peer = connect();
    proxy.delay(300);

    long t0 = System.nanoTime();
    peer.socket.write("ping");
    assertThat(peer.received(4).toString()).isEqualTo("ping");
    // Each direction holds it 300 ms.
    assertThat(elapsedMs(t0)).isGreaterThanOrEqualTo(600);

    // Chunks written apart, so the proxy reads them as separate chunks.
    StringBuilder expected = new StringBuilder("ping");
    for (int i = 0; i < 5; i++) {
      String chunk = "<chunk " + i + ">";
      expected.append(chunk);
      peer.socket.write(chunk);
      vertx.timer(20).await(WAIT_S, TimeUnit.SECONDS);
    }
    // Still held: nothing of the chunks is back before the delay.
    assertThat(peer.receivedSoFar()).isEqualTo("ping");

    // Back to pass while chunks are held: a later chunk must not overtake them.
    proxy.pass();
    peer.socket.write("<after pass>");
    expected.append("<after pass>");
    assertThat(peer.received(expected.length()).toString()).isEqualTo(expected.toString());

    // And pass is really pass again once the queue has drained.
    long t1 = System.nanoTime();
    peer.socket.write("!");
    peer.received(expected.length() + 1);
    assertThat(elapsedMs(t1)).isLessThan(300);
  }

  @Test
  @DisplayName("cut closes open connections and refuses new ones until pass")
  void cutAndPass() throws Exception {
    Peer peer = echoing("x");

    proxy.cut().await(WAIT_S, TimeUnit.SECONDS);
    peer.closed.future().await(WAIT_S, TimeUnit.SECONDS);
    assertThat(proxy.openConnections()).isZero();

    // Accepted and then closed at once; a connect failure would do as well.
    connectAsync(client, proxy.port())
        .compose(refused -> refused.closed.future(), connectFailed -> Future.succeededFuture())
        .await(WAIT_S, TimeUnit.SECONDS);
    assertThat(proxy.openConnections()).isZero();

    proxy.pass();
    echoing("back");
    assertThat(proxy.openConnections()).isEqualTo(1);
  }

  @Test
  @DisplayName("blackhole keeps the connection open but answers nothing")
  void blackholeSwallows() throws Exception {
    Peer peer = echoing("a");

    proxy.blackhole();
    peer.socket.write("b");
    // A timer, not a sleep: in 300 ms no echo may arrive, and the connection stays open.
    vertx.timer(300).await(WAIT_S, TimeUnit.SECONDS);
    assertThat(peer.receivedSoFar()).isEqualTo("a");
    assertThat(peer.closed.future().isComplete()).isFalse();
    assertThat(proxy.openConnections()).isEqualTo(1);

    // A connection made during the partition is accepted and swallows data too.
    Peer during = connect();
    during.socket.write("c");
    vertx.timer(300).await(WAIT_S, TimeUnit.SECONDS);
    assertThat(during.receivedSoFar()).isEmpty();
    assertThat(proxy.openConnections()).isEqualTo(2);
  }

  @Test
  @DisplayName("close ends every connection and stops listening")
  void closeLeavesNothing() throws Exception {
    Peer peer = echoing("x");

    int port = proxy.port();
    proxy.close().await(WAIT_S, TimeUnit.SECONDS);
    peer.closed.future().await(WAIT_S, TimeUnit.SECONDS);
    assertThat(proxy.openConnections()).isZero();
    assertThatThrownBy(() -> client.connect(port, "127.0.0.1").await(WAIT_S, TimeUnit.SECONDS))
        .isNotInstanceOf(TimeoutException.class);
  }

  @Test
  @DisplayName("uriFor points a PostgreSQL URI at the proxy and keeps the rest")
  void uriFor() {
    String at = "127.0.0.1:" + proxy.port();
    assertThat(proxy.uriFor("postgresql://postgres@localhost:5432/tf_x"))
        .isEqualTo("postgresql://postgres@" + at + "/tf_x");
    assertThat(proxy.uriFor("postgres://u:p%40ss@db.example:6543/app?sslmode=disable"))
        .isEqualTo("postgres://u:p%40ss@" + at + "/app?sslmode=disable");
    assertThat(proxy.uriFor("postgresql://localhost/app")).isEqualTo("postgresql://" + at + "/app");
    assertThatThrownBy(() -> proxy.uriFor("jdbc:postgresql://localhost/app")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("carries the PostgreSQL protocol: queries pass, fail while cut, pass again after")
  void carriesPostgres() throws Exception {
    String uri = TestPostgres.shared().createDatabase();
    PgConnectOptions direct = PgConnectOptions.fromUri(uri);
    FaultyProxy pgProxy = FaultyProxy.start(vertx, direct.getHost(), direct.getPort()).await(WAIT_S, TimeUnit.SECONDS);
    // One connection, so "the" connection is the one cut and the next query needs a new one.
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(pgProxy.uriFor(uri)))
        .using(vertx)
        .build();
    try {
      assertThat(selectOne(pool)).isEqualTo(1);
      assertThat(pgProxy.openConnections()).isEqualTo(1);

      pgProxy.cut().await(WAIT_S, TimeUnit.SECONDS);
      assertThat(pgProxy.openConnections()).isZero();
      // The pool learns of the close asynchronously; until it has, it may still hand out the
      // dead connection, and would do so after pass() too.
      eventually(() -> pool.size() == 0);
      Future<RowSet<Row>> whileCut = pool.query("SELECT 1").execute();
      assertThatThrownBy(() -> whileCut.await(WAIT_S, TimeUnit.SECONDS)).isNotInstanceOf(TimeoutException.class);

      assertThat(pool.size()).isZero();

      pgProxy.pass();
      assertThat(selectOne(pool)).isEqualTo(1);
      assertThat(pgProxy.openConnections()).isEqualTo(1);
    } finally {
      pool.close().await(WAIT_S, TimeUnit.SECONDS);
      pgProxy.close().await(WAIT_S, TimeUnit.SECONDS);
    }
  }

  private static int selectOne(Pool pool) throws Exception {
    return pool.query("SELECT 1").execute().await(WAIT_S, TimeUnit.SECONDS).iterator().next().getInteger(0);
  }

  /** A client whose send buffer cannot soak up what the proxy refuses to read. */
  private NetClient smallBuffers() {
    // Closed with the Vertx instance at the end of the test.
    return vertx.createNetClient(new NetClientOptions().setSendBufferSize(SMALL_BUFFER));
  }

  private Peer connect() throws Exception {
    return connect(client, proxy.port());
  }

  /** A connection through the proxy that has carried {@code text} there and back. */
  private Peer echoing(String text) throws Exception {
    Peer peer = connect();
    peer.socket.write(text);
    assertThat(peer.received(text.length()).toString()).isEqualTo(text);
    return peer;
  }

  private Peer connect(NetClient netClient, int port) throws Exception {
    return connectAsync(netClient, port).await(WAIT_S, TimeUnit.SECONDS);
  }

  /**
   * Connects from a context of its own and sets the handlers in the connect callback, on that
   * context: set from the test thread they could miss a close that happened first.
   */
  private Future<Peer> connectAsync(NetClient netClient, int port) {
    Promise<Peer> peer = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> netClient.connect(port, "127.0.0.1").map(Peer::new).onComplete(peer));
    return peer.future();
  }

  /** Writes in order; the future completes when the last chunk has gone to the kernel. */
  private static Future<Void> writeInChunks(NetSocket socket, Buffer data, int chunkSize) {
    Future<Void> last = Future.succeededFuture();
    for (int i = 0; i < data.length(); i += chunkSize) {
      last = socket.write(data.getBuffer(i, Math.min(data.length(), i + chunkSize)));
    }
    return last;
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** Polls with a deadline; the pause between polls is a Vert.x timer, not a sleep. */
  private void eventually(BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT_S + " s");
      }
      vertx.timer(10).await(WAIT_S, TimeUnit.SECONDS);
    }
  }

  /**
   * A client socket that records what comes back. Its handlers run on an event loop while the
   * test thread reads, hence the lock.
   */
  private static final class Peer {
    final NetSocket socket;
    final Promise<Void> closed = Promise.promise();
    private final Buffer received = Buffer.buffer();
    private final List<Waiter> waiters = new ArrayList<>();

    private record Waiter(int length, Promise<Buffer> promise) {
    }

    Peer(NetSocket socket) {
      this.socket = socket;
      socket.closeHandler(v -> closed.tryComplete());
      socket.handler(this::onData);
    }

    private synchronized void onData(Buffer chunk) {
      received.appendBuffer(chunk);
      waiters.removeIf(w -> {
        if (received.length() >= w.length()) {
          w.promise().complete(received.copy());
          return true;
        }
        return false;
      });
    }

    /** Waits until at least length bytes have come back in all, and returns them all. */
    Buffer received(int length) throws Exception {
      Promise<Buffer> p = Promise.promise();
      synchronized (this) {
        if (received.length() >= length) {
          return received.copy();
        }
        waiters.add(new Waiter(length, p));
      }
      return p.future().await(WAIT_S * 2, TimeUnit.SECONDS);
    }

    synchronized String receivedSoFar() {
      return received.toString();
    }
  }

  /** A target server that reads nothing until resume(): its peers' writes back up. */
  private static final class StalledTarget {
    private final NetServer server;
    private final List<NetSocket> sockets = new ArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private boolean resumed;

    private StalledTarget(Vertx vertx) throws Exception {
      // A fixed small receive buffer: a kernel would otherwise let it grow to many MiB.
      server = vertx.createNetServer(new NetServerOptions().setReceiveBufferSize(SMALL_BUFFER))
          .connectHandler(this::accept)
          .listen(0, "127.0.0.1").await(WAIT_S, TimeUnit.SECONDS);
    }

    static StalledTarget start(Vertx vertx) throws Exception {
      return new StalledTarget(vertx);
    }

    private synchronized void accept(NetSocket socket) {
      if (!resumed) {
        socket.pause();
      }
      socket.handler(b -> received.addAndGet(b.length()));
      sockets.add(socket);
    }

    int port() {
      return server.actualPort();
    }

    synchronized void resume() {
      resumed = true;
      sockets.forEach(NetSocket::resume);
    }

    long received() {
      return received.get();
    }

    void close() throws Exception {
      server.close().await(WAIT_S, TimeUnit.SECONDS);
    }
  }
}
