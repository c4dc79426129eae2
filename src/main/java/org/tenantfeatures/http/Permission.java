package org.tenantfeatures.http;

/**
 * What a token may do ({@code auth.tokens[].permissions} in the configuration), and the 403 a
 * request answers when its token lacks it.
 */
enum Permission {
  /** Answers of a tenant's data, and the catalogue's list. */
  READ("read", Problem.READ_REQUIRED),
  /** Changes to a tenant's overrides. */
  WRITE("write", Problem.WRITE_REQUIRED),
  /** Catalogue changes and diagnostics, on a token scoped to all tenants. */
  ADMIN("admin", Problem.ADMIN_REQUIRED);

  private final String configName;
  private final Problem refused;

  Permission(String configName, Problem refused) {
    this.configName = configName;
    this.refused = refused;
  }

  String configName() {
    return configName;
  }

  Problem refused() {
    return refused;
  }
}
