package org.tenantfeatures.http.auth;

import org.tenantfeatures.http.problem.Problem;

/**
 * What a token may do ({@code auth.tokens[].permissions} in the configuration, in lower case),
 * and the 403 a request answers when its token lacks it.
 */
public enum Permission {
  /** Answers of a tenant's data, and the catalogue's list. */
  READ,
  /** Changes to a tenant's overrides. */
  WRITE,
  /** Catalogue changes and diagnostics, on a token scoped to all tenants. */
  ADMIN;

  /** Its name in the configuration; a constant, as it is asked on every request. */
  public String configName() {
    return switch (this) {
      case READ -> "read";
      case WRITE -> "write";
      case ADMIN -> "admin";
    };
  }

  Problem refused() {
    return switch (this) {
      case READ -> Problem.READ_REQUIRED;
      case WRITE -> Problem.WRITE_REQUIRED;
      case ADMIN -> Problem.ADMIN_REQUIRED;
    };
  }
}
