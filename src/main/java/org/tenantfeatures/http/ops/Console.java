package org.tenantfeatures.http.ops;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console's files ({@code src/main/resources/console}, in the jar), served under
 * {@code /console/} with a Content-Security-Policy that lets the page run its own scripts and
 * styles and talk to this service only: no inline script (a description holding markup could not
 * run even if it were ever parsed as HTML), no third-party request, no framing. The files hold no
 * secret; the operator's token stays in the tab and goes to the API as a Bearer header.
 */
public final class Console {

  static final String PATH = "/console";
  static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private Console() {
  }

  public static void mount(Router router) {
    // Vert.x matches /console to /console/ too: only the bare path is sent on to the folder.
    router.get(PATH).handler(ctx -> {
      if (ctx.request().path().equals(PATH)) {
        ctx.redirect(PATH + "/");
      } else {
        ctx.next();
      }
    });
    router.get(PATH + "/*").handler(Console::headers).handler(StaticHandler.create("console")
        .setIndexPage("index.html")
        // Revalidated on every load (ETag / Last-Modified): a new jar's console is seen at once.
        .setCachingEnabled(false)
        .setDirectoryListing(false)
        .setIncludeHidden(false));
  }

  private static void headers(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Cache-Control", "no-cache");
    ctx.next();
  }
}
