package org.tenantfeatures.http.ofrep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.http.Routes;
import org.tenantfeatures.support.Seed;
import org.tenantfeatures.support.ServiceUnderTest;

/**
 * OFREP change streams on a real node: the bulk answer's stream URL carries a ticket, not the
 * token; a write reaches the tenant's stream within a second with the new ETag; heartbeats keep
 * an idle stream alive; a stale {@code Last-Event-ID} gets a refetch at once; forged tickets, and
 * streams beyond the per-token cap, are refused; a draining node ends its streams.
 */
@DisplayName("OFREP change streams")
class OfrepStreamIT {

  private static final String WRITER = "stream-writer-token";
  private static final int MAX_STREAMS = 2;

  private ServiceUnderTest node;
  private HttpClient http;
  private String tenant;

  @BeforeEach
  void deploy() throws Exception {
    node = ServiceUnderTest.start(8, c -> c
        .with("cache.ttlMs", 60_000)
        .with("http.streamHeartbeatMs", 200)
        .with("http.maxStreamsPerToken", MAX_STREAMS)
        .withToken("writer", WRITER, "read", "write"));
    // Heard before a stream opens: each new flag's notification is a change of every tenant's map.
    Seed.flagsHeard(node.vertx(), node.dbUri(), 4);
    tenant = Seed.tenantWithData(node.dbUri());
    http = node.vertx().createHttpClient();
  }

  @AfterEach
  void close() throws Exception {
    node.close();
  }

  /** The bulk answer for the tenant. */
  private HttpResponse<Buffer> bulk() throws Exception {
    HttpResponse<Buffer> answer = await(node.service().request(HttpMethod.POST, Routes.OFREP_FLAGS, WRITER, null)
        .sendJsonObject(new JsonObject().put("context", new JsonObject().put("targetingKey", tenant))));
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    return answer;
  }

  private String streamUri() throws Exception {
    JsonObject stream = bulk().bodyAsJsonObject().getJsonArray("eventStreams").getJsonObject(0);
    assertThat(stream.getString("type")).isEqualTo("sse");
    return stream.getJsonObject("endpoint").getString("requestUri");
  }

  /** An open stream's text so far, and whether the server ended it. */
  private record Stream(HttpClientResponse response, StringBuffer text, AtomicBoolean ended) {
  }

  private Stream open(String uri, String lastEventId) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(node.service().config().http().port()).setURI(uri);
    if (lastEventId != null) {
      options.addHeader("Last-Event-ID", lastEventId);
    }
    StringBuffer text = new StringBuffer();
    AtomicBoolean ended = new AtomicBoolean();
    HttpClientResponse response = await(http.request(options).compose(request -> request.send().onSuccess(r -> {
      r.handler(chunk -> text.append(chunk.toString(StandardCharsets.UTF_8)));
      r.endHandler(v -> ended.set(true));
    })));
    return new Stream(response, text, ended);
  }

  private void within(long ms, String what, Supplier<Boolean> condition) throws Exception {
    long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    while (!condition.get()) {
      assertThat(System.nanoTime()).as(what).isLessThan(giveUp);
      await(node.vertx().timer(10, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  @DisplayName("A write reaches the tenant's stream within 1 s, with the new bulk ETag; heartbeats keep it alive; the URL holds no token")
  void writeReachesTheStream() throws Exception {
    String uri = streamUri();
    assertThat(uri).startsWith(Routes.OFREP_EVENTS + "?ticket=").doesNotContain(WRITER);
    String claims = new String(Base64.getUrlDecoder().decode(uri.substring(uri.indexOf('=') + 1, uri.lastIndexOf('.'))),
        StandardCharsets.UTF_8);
    assertThat(claims).as("the ticket's claims").contains(tenant).doesNotContain(WRITER);

    Stream stream = open(uri, null);
    assertThat(stream.response().statusCode()).isEqualTo(200);
    assertThat(stream.response().getHeader("Content-Type")).isEqualTo("text/event-stream");
    within(2_000, "a heartbeat on an idle stream", () -> stream.text().toString().contains(": heartbeat"));

    long start = System.nanoTime();
    HttpResponse<Buffer> written = await(node.service().request(HttpMethod.PUT, "/api/v3/features/tenant/flag_002", WRITER, tenant)
        .sendJsonObject(new JsonObject().put("enabled", !bulkValue("flag_002"))));
    assertThat(written.statusCode()).isEqualTo(200);
    String etag = bulk().getHeader("ETag"); // this node dropped the tenant's map before answering the write
    within(1_000, "the refetch event after a write", () -> stream.text().toString().contains("id: " + etag.replace("\"", "") + "\n"));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    String text = stream.text().toString();
    JsonObject data = new JsonObject(text.lines().filter(l -> l.startsWith("data: ") && l.contains("refetchEvaluation"))
        .reduce((first, last) -> last).orElseThrow().substring("data: ".length()));
    assertThat(data.getString("etag")).as("the event names the new bulk ETag").isEqualTo(etag);
    assertThat(text).as("the event is identified by it").contains("id: " + etag.replace("\"", "") + "\n").contains("event: message\n");
    org.slf4j.LoggerFactory.getLogger(OfrepStreamIT.class).info("Write to refetch event on the stream: {} ms", tookMs);
  }

  private boolean bulkValue(String flag) throws Exception {
    return bulk().bodyAsJsonObject().getJsonArray("flags").stream().map(JsonObject.class::cast)
        .filter(f -> flag.equals(f.getString("key"))).findFirst().orElseThrow().getBoolean("value");
  }

  @Test
  @DisplayName("A refetch naming a newer ETag (flagConfigEtag) reads through a cache that has not heard of the change")
  void refetchReadsThroughOnce() throws Exception {
    // A node that hears of no change but its own writes: like one whose change event is late.
    ServiceUnderTest deaf = ServiceUnderTest.start(4, c -> c.with("cache.ttlMs", 60_000).with("db.listenForChanges", false)
        .with("cache.ttlWithoutListenerMs", 60_000)
        .withToken("writer", WRITER, "read", "write"));
    try {
      Seed.flags(deaf.dbUri(), 2);
      JsonObject request = new JsonObject().put("context", new JsonObject().put("targetingKey", tenant));
      HttpResponse<Buffer> before = await(deaf.service().request(HttpMethod.POST, Routes.OFREP_FLAGS, WRITER, null)
          .sendJsonObject(request));
      org.tenantfeatures.support.Sql.execute(deaf.dbUri(), "INSERT INTO tenant_features (tenant_id, feature_id, is_enabled) "
          + "SELECT '" + tenant + "', id, true FROM feature_flags WHERE name = 'flag_000'");
      HttpResponse<Buffer> cached = await(deaf.service().request(HttpMethod.POST, Routes.OFREP_FLAGS, WRITER, null)
          .sendJsonObject(request));
      assertThat(cached.getHeader("ETag")).as("the cached map, the change unheard").isEqualTo(before.getHeader("ETag"));
      HttpResponse<Buffer> refetched = await(deaf.service().request(HttpMethod.POST,
          Routes.OFREP_FLAGS + "?flagConfigEtag=" + java.net.URLEncoder.encode("\"r1-0\"", StandardCharsets.UTF_8), WRITER, null)
          .sendJsonObject(request));
      assertThat(refetched.getHeader("ETag")).as("read through for a newer tag").isNotEqualTo(before.getHeader("ETag"));
      assertThat(refetched.bodyAsJsonObject().getJsonArray("flags").getJsonObject(0).getBoolean("value")).isTrue();
    } finally {
      deaf.close();
    }
  }

  @Test
  @DisplayName("A reconnect with a stale Last-Event-ID gets a refetch at once")
  void staleLastEventIdRefetches() throws Exception {
    Stream stream = open(streamUri(), "r0-00000000");
    within(1_000, "the refetch for a stale Last-Event-ID", () -> stream.text().toString().contains("refetchEvaluation"));
  }

  @Test
  @DisplayName("A forged or tampered ticket is 401; a token holds at most http.maxStreamsPerToken streams")
  void ticketsAndCap() throws Exception {
    String uri = streamUri();
    String ticket = uri.substring(uri.indexOf('=') + 1);
    String otherTenant = Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("writer\n" + "11111111-2222-4333-8444-555555555555\n" + Long.MAX_VALUE).getBytes(StandardCharsets.UTF_8));
    for (String forged : new String[] {"", "x", ticket + "x", otherTenant + ticket.substring(ticket.indexOf('.'))}) {
      Stream refused = open(Routes.OFREP_EVENTS + "?ticket=" + forged, null);
      assertThat(refused.response().statusCode()).as("ticket '%s'", forged).isEqualTo(401);
    }
    for (int i = 0; i < MAX_STREAMS; i++) {
      assertThat(open(uri, null).response().statusCode()).isEqualTo(200);
    }
    assertThat(open(uri, null).response().statusCode()).as("a stream beyond the cap").isEqualTo(429);
  }

  @Test
  @DisplayName("A draining node ends its streams, so that clients reconnect elsewhere")
  void drainEndsStreams() throws Exception {
    Stream stream = open(streamUri(), null);
    assertThat(stream.response().statusCode()).isEqualTo(200);
    node.service().deployment().lifecycle().drain();
    within(1_000, "the stream ended by the draining node", () -> stream.ended().get());
    assertThat(stream.text().toString()).startsWith("retry: 1000");
  }
}
