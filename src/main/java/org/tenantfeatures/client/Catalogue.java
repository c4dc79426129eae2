package org.tenantfeatures.client;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The flags, global to all tenants. Changes run in one transaction with their audit rows, never retried. */
public interface Catalogue {

  /** {@code {flags: [{name, description}, ...]}} by name. */
  Future<JsonObject> listFlags(Call call);

  /** {@code {name, description, overrides}}: the flag and how many tenants override it; {@link FailureCode#NOT_FOUND} if none. */
  Future<JsonObject> getFlag(String name, Call call);

  /** A change of the catalogue; the answer is the flag ({@code {name, description}}, or {@code {name}} once deleted). */
  Future<JsonObject> writeFlag(FlagChange change, String name, String description, String actor, Call call);
}
