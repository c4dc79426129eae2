package org.tenantfeatures.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tenantfeatures.support.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tenantfeatures.client.FeatureBus.Actions;
import org.tenantfeatures.client.FeatureBus.Fields;

/** The contract end to end without a database: the bus client, the binding, and fake implementations behind it. */
class ContractBindingTest {

  private static final String TENANT = "6f1c0b8e-2d4a-4c3e-9b1a-0f2e3d4c5b6a";

  private Vertx vertx;
  private final List<String> calls = new ArrayList<>();
  private DatabaseClient client;

  /**
   * Answers every tenant map with two flags, one of them overridden; refuses flag names starting
   * with "missing"; throws for roles.
   */
  private final TenantMaps maps = new TenantMaps() {
    @Override
    public Future<TenantMap> tenantMap(String tenantId, Call call) {
      calls.add("tenantMap " + tenantId + " " + call.requestId());
      Map<String, Boolean> features = new LinkedHashMap<>();
      features.put("alpha", false);
      features.put("beta", true);
      return Future.succeededFuture(new TenantMap(tenantId, features, List.of("beta"), 7));
    }

    /** Throws instead of failing its future, as a careless implementation might. */
    @Override
    public Future<JsonArray> roles(String tenantId, Call call) {
      throw new IllegalStateException("roles thrown, not failed");
    }

    @Override
    public Future<JsonObject> setOverride(String tenantId, String flag, Boolean enabled, String actor, Call call) {
      calls.add("setOverride " + flag + " " + enabled + " " + actor);
      return flag.startsWith("missing") ? Future.failedFuture(new IllegalArgumentException("no such flag"))
          : Future.succeededFuture(new JsonObject().put(Fields.FLAG, flag).put(Fields.ENABLED, enabled));
    }

    @Override
    public Future<JsonObject> explain(String tenantId, String flag, Call call) {
      return Future.succeededFuture(new JsonObject().put(Fields.FLAG, flag));
    }
  };

  @BeforeEach
  void bind() {
    vertx = Vertx.vertx();
    ContractBinding binding = ContractBinding.on(vertx, maps, unused(Catalogue.class), directory(), unused(Diagnostics.class),
        (action, call, tenantId, failure) -> failure instanceof IllegalArgumentException ? FailureCode.NOT_FOUND : FailureCode.INTERNAL,
        1_000);
    vertx.eventBus().<JsonObject>localConsumer(FeatureBus.DB_LOCAL_ADDRESS, binding::handle);
    client = DatabaseClient.local(vertx);
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("A tenant map crosses the bus typed and whole, with the request's id, and the database side's time in the call")
  void tenantMap() throws Exception {
    Call call = new Call("req-1", Deadline.in(1_000));
    TenantMap map = await(client.tenantMap(TENANT, call));
    assertThat(map.features()).containsExactly(Map.entry("alpha", false), Map.entry("beta", true));
    assertThat(map.overridden()).containsExactly("beta");
    assertThat(map.revision()).isEqualTo(7);
    assertThat(calls).containsExactly("tenantMap " + TENANT + " req-1");
    assertThat(call.dbMs()).isGreaterThanOrEqualTo(0);
  }

  @Test
  @DisplayName("A malformed message is refused by the binding and never reaches the implementation")
  void badMessages() {
    assertThat(failureOf(client.tenantMap(TENANT.toUpperCase(), new Call("r", Deadline.in(1_000)))))
        .isEqualTo(FailureCode.BAD_MESSAGE.code());
    assertThat(failureOf(client.setOverride(TENANT, " ", true, "someone", new Call("r", Deadline.in(1_000)))))
        .isEqualTo(FailureCode.BAD_MESSAGE.code());
    assertThat(failureOf(vertx.eventBus().request(FeatureBus.DB_LOCAL_ADDRESS, new JsonObject(),
        new DeliveryOptions().addHeader(FeatureBus.ACTION, "drop-everything")))).isEqualTo(FailureCode.BAD_ACTION.code());
    assertThat(failureOf(vertx.eventBus().request(FeatureBus.DB_LOCAL_ADDRESS, new JsonObject().put(Fields.TENANT_ID, TENANT),
        new DeliveryOptions()))).isEqualTo(FailureCode.BAD_ACTION.code());
    assertThat(calls).isEmpty();
  }

  @Test
  @DisplayName("An override's null (back to the default) is passed on as null; an implementation's failure comes back with its code")
  void overrides() throws Exception {
    JsonObject cleared = await(client.setOverride(TENANT, "alpha", null, "someone", new Call("r", Deadline.in(1_000))));
    assertThat(cleared.getValue(Fields.ENABLED)).isNull();
    assertThat(failureOf(client.setOverride(TENANT, "missing_flag", true, "someone", new Call("r", Deadline.in(1_000)))))
        .isEqualTo(FailureCode.NOT_FOUND.code());
    assertThat(calls).containsExactly("setOverride alpha null someone", "setOverride missing_flag true someone");
  }

  @Test
  @DisplayName("An implementation that throws instead of failing still answers its caller, with the code its side reports")
  void thrownIsAnswered() {
    assertThat(failureOf(client.roles(TENANT, new Call("r", Deadline.in(1_000))))).isEqualTo(FailureCode.INTERNAL.code());
  }

  @Test
  @DisplayName("A page's limit beyond 1-500 is refused, as a scope with a malformed id; a good page is passed on")
  void pages() throws Exception {
    JsonObject page = await(client.tenantPage(null, 500, List.of(TENANT), null, null, new Call("r", Deadline.in(1_000))));
    assertThat(page.getInteger(Fields.LIMIT)).isEqualTo(500);
    assertThat(failureOf(client.tenantPage(null, 501, null, null, null, new Call("r", Deadline.in(1_000)))))
        .isEqualTo(FailureCode.BAD_MESSAGE.code());
    assertThat(failureOf(client.auditPage(TENANT, 0, null, null, new Call("r", Deadline.in(1_000)))))
        .isEqualTo(FailureCode.BAD_MESSAGE.code());
    assertThat(failureOf(client.tenantPage(null, 5, List.of("not-a-uuid"), null, null, new Call("r", Deadline.in(1_000)))))
        .isEqualTo(FailureCode.BAD_MESSAGE.code());
    assertThat(Actions.TENANT_PAGE).isEqualTo("tenant-page");
  }

  @Test
  @DisplayName("A tenant's record needs an attributes object and a canonical id; a good one is passed on")
  void tenantRecords() throws Exception {
    JsonObject attributes = new JsonObject().put("plan", "enterprise");
    JsonObject put = await(client.putTenant(TENANT, "Acme", attributes, "someone", new Call("r", Deadline.in(1_000))));
    assertThat(put.getJsonObject(Fields.ATTRIBUTES)).isEqualTo(attributes);
    assertThat(failureOf(client.putTenant(TENANT, "Acme", null, "someone", new Call("r", Deadline.in(1_000)))))
        .isEqualTo(FailureCode.BAD_MESSAGE.code());
    assertThat(failureOf(client.getTenant(TENANT.toUpperCase(java.util.Locale.ROOT), new Call("r", Deadline.in(1_000)))))
        .isEqualTo(FailureCode.BAD_MESSAGE.code());
    JsonObject record = new JsonObject().put(Fields.TENANT_ID, TENANT).put(Fields.NAME, "Acme").put(Fields.ATTRIBUTES, attributes);
    assertThat(await(client.putTenants(new JsonArray().add(record), "someone", new Call("r", Deadline.in(1_000)))).getInteger("received"))
        .isEqualTo(1);
    assertThat(failureOf(client.putTenants(new JsonArray().add(record).add(record.copy()), "someone", new Call("r", Deadline.in(1_000)))))
        .as("a tenant twice in one batch").isEqualTo(FailureCode.BAD_MESSAGE.code());
  }

  private static Directory directory() {
    return new Directory() {
      @Override
      public Future<JsonObject> tenantPage(String after, int limit, Collection<String> tenants, String namePrefix, JsonObject attribute,
          Call call) {
        return Future.succeededFuture(new JsonObject().put(Fields.LIMIT, limit)
            .put(Fields.TENANTS, tenants == null ? null : new JsonArray(List.copyOf(tenants))));
      }

      @Override
      public Future<JsonObject> auditPage(String tenantId, int limit, Long before, String flag, Call call) {
        return Future.succeededFuture(new JsonObject());
      }

      @Override
      public Future<JsonObject> catalogueAuditPage(int limit, Long before, String flag, String segment, Call call) {
        return Future.succeededFuture(new JsonObject().put(Fields.LIMIT, limit).put(Fields.SEGMENT, segment));
      }

      @Override
      public Future<JsonObject> putTenants(JsonArray tenants, String actor, Call call) {
        return Future.succeededFuture(new JsonObject().put("received", tenants.size()));
      }

      @Override
      public Future<JsonObject> getTenant(String tenantId, Call call) {
        return Future.succeededFuture(new JsonObject().put(Fields.TENANT_ID, tenantId));
      }

      @Override
      public Future<JsonObject> putTenant(String tenantId, String name, JsonObject attributes, String actor, Call call) {
        return Future.succeededFuture(new JsonObject().put(Fields.TENANT_ID, tenantId).put(Fields.ATTRIBUTES, attributes));
      }
    };
  }

  /** An implementation no test here calls: any call fails the test's request. */
  private static <T> T unused(Class<T> type) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      throw new AssertionError(method.getName() + " was not expected");
    }));
  }

  private static int failureOf(Future<?> request) {
    assertThatThrownBy(() -> await(request)).hasCauseInstanceOf(ReplyException.class);
    return ((ReplyException) request.cause()).failureCode();
  }
}
