package org.tenantfeatures.evaluation;

import java.util.Locale;

/** Which input decided a tenant's value of a flag, in the order they are tried. */
public enum Reason {
  /** The tenant's own override. */
  OVERRIDE,
  /** The first rule whose segment contains the tenant. */
  SEGMENT,
  /** The tenant's bucket is below the rollout's percentage. */
  ROLLOUT,
  /** Nothing else applied: the flag's default ({@code false} unless its targeting sets one). */
  DEFAULT;

  /** As the API writes it: {@code override}, {@code segment}, {@code rollout}, {@code default}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
