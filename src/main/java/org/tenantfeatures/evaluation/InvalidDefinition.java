package org.tenantfeatures.evaluation;

/** A targeting, segment or tenant's attributes that break the rules; the message says which, for the caller. */
public final class InvalidDefinition extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidDefinition(String message) {
    super(message, null, false, false);
  }

  static void check(boolean holds, String message) {
    if (!holds) {
      throw new InvalidDefinition(message);
    }
  }
}
