package org.tenantfeatures.client;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** What the database side tells about itself, outside the circuit breaker. */
public interface Diagnostics {

  /** {@code {breaker}} once the database answered a trivial query within the call's deadline. */
  Future<JsonObject> ping(Call call);

  /** Pool limits and live state, the database's view of the node's connections, the breaker; always answers. */
  Future<JsonObject> dbDiagnostics(Call call);

  /** Switches the SQL trace of every node's database side: {@code {enabled}}. */
  Future<JsonObject> setSqlTrace(boolean enabled, Call call);
}
