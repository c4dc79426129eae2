package org.tenantfeatures.http;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.tenantfeatures.client.Directory;
import org.tenantfeatures.http.problem.Problem;
import org.tenantfeatures.http.problem.ProblemResponses;

/**
 * A page asked for in the query: {@code limit} (1 to {@link Directory#MAX_PAGE}, {@link
 * Directory#DEFAULT_PAGE} when absent) and a cursor (the previous page's {@code next}), or a 400
 * {@code invalid-page} problem already answered.
 */
public record Page<C>(int limit, C cursor) {

  /**
   * The page of this request, its cursor in the query parameter {@code cursorName} read by
   * {@code cursor} (empty: unreadable); empty when the problem was answered, naming {@code cursorHint}.
   */
  public static <C> Optional<Page<C>> of(RoutingContext ctx, String cursorName, Function<String, Optional<C>> cursor,
      String cursorHint) {
    Optional<Integer> limit = limit(ctx.request().getParam("limit"));
    String cursorText = ctx.request().getParam(cursorName);
    Optional<C> read = cursorText == null ? Optional.empty() : cursor.apply(cursorText);
    if (limit.isEmpty() || (cursorText != null && read.isEmpty())) {
      ProblemResponses.send(ctx, Problem.INVALID_PAGE, "limit is 1 to " + Directory.MAX_PAGE + " (default " + Directory.DEFAULT_PAGE
          + "); " + cursorName + " is " + cursorHint + ".");
      return Optional.empty();
    }
    return Optional.of(new Page<>(limit.get(), read.orElse(null)));
  }

  private static Optional<Integer> limit(String text) {
    if (text == null) {
      return Optional.of(Directory.DEFAULT_PAGE);
    }
    OptionalLong limit = QueryNumbers.parse(text, 1, Directory.MAX_PAGE);
    return limit.isPresent() ? Optional.of((int) limit.getAsLong()) : Optional.empty();
  }
}
