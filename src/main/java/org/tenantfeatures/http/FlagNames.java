package org.tenantfeatures.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;
import org.tenantfeatures.http.problem.Problem;
import org.tenantfeatures.http.problem.ProblemResponses;

/** The form of a flag's (and a segment's) name, the same the database's CHECK constraints enforce, so a bad name never reaches it. */
public final class FlagNames {

  private static final Pattern FORM = Pattern.compile("[a-z][a-z0-9_.-]{0,99}");

  private FlagNames() {
  }

  /** Route handler: the flag named by path parameter {@code param} has the form, or the request is answered 400. */
  static Handler<RoutingContext> inPath(String param) {
    return ctx -> {
      if (check(ctx, ctx.pathParam(param))) {
        ctx.next();
      }
    };
  }

  /** Route handler: the segment named by path parameter {@code param} has a flag name's form, or the request is answered 400. */
  static Handler<RoutingContext> segmentInPath(String param) {
    return ctx -> {
      if (checkSegment(ctx, ctx.pathParam(param))) {
        ctx.next();
      }
    };
  }

  /** True for a segment name of the form; otherwise the request is answered 400 {@code invalid-segment-name}. */
  public static boolean checkSegment(RoutingContext ctx, String name) {
    if (name != null && FORM.matcher(name).matches()) {
      return true;
    }
    ProblemResponses.send(ctx, Problem.INVALID_SEGMENT_NAME, "A segment's name is a lower-case letter, then up to 99 of a-z, 0-9, '_', '.', '-'.");
    return false;
  }

  /** True for a name of the form; otherwise the request is answered 400 {@code invalid-flag-name}. */
  public static boolean check(RoutingContext ctx, String name) {
    if (name != null && FORM.matcher(name).matches()) {
      return true;
    }
    ProblemResponses.send(ctx, Problem.INVALID_FLAG_NAME, "A flag name is a lower-case letter, then up to 99 of a-z, 0-9, '_', '.', '-'.");
    return false;
  }
}
