package org.tenantfeatures.db;

import io.vertx.core.VertxException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tenantfeatures.client.FailureCode;

/**
 * A request the data refuses (a segment that does not exist, one still in use): its code travels
 * on the bus, and its message, written for the caller, becomes the problem's detail.
 */
public final class Refusal extends VertxException {

  private static final long serialVersionUID = 1L;

  private final FailureCode code;

  public Refusal(FailureCode code, String message) {
    super(message, true);
    this.code = code;
  }

  public FailureCode code() {
    return code;
  }

  /** A segment the request names does not exist. */
  public static Refusal unknownSegment(String name) {
    return new Refusal(FailureCode.UNKNOWN_SEGMENT, "No segment is named '" + name + "'.");
  }

  /** A targeting whose rules name segments not among {@code present}, if any does. */
  public static Optional<Refusal> missingSegments(List<String> named, Set<String> present) {
    List<String> missing = named.stream().filter(name -> !present.contains(name)).toList();
    return missing.isEmpty() ? Optional.empty() : Optional.of(new Refusal(FailureCode.RULE_SEGMENT_MISSING,
        "The rules name segments that do not exist: " + String.join(", ", missing) + "."));
  }
}
