package org.tenantfeatures.client;

import java.util.Optional;

/** The changes of the catalogue {@link Catalogue#writeFlag} makes, under one name from the HTTP route to the audit row. */
public enum FlagChange {
  CREATE("create"), DESCRIBE("describe"), DELETE("delete");

  private final String wire;

  FlagChange(String wire) {
    this.wire = wire;
  }

  /** Its name on the bus and in the audit log ({@code flag.<wire>}). */
  public String wire() {
    return wire;
  }

  /** Whether every tenant's map changes with it (a flag added or removed; a description changes no map). */
  public boolean changesMaps() {
    return this != DESCRIBE;
  }

  public static Optional<FlagChange> of(Object wire) {
    for (FlagChange change : values()) {
      if (change.wire.equals(wire)) {
        return Optional.of(change);
      }
    }
    return Optional.empty();
  }
}
