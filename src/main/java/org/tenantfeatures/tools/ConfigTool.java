package org.tenantfeatures.tools;

import org.tenantfeatures.config.AppConfig;

/** Prints a value of the effective configuration for the shell scripts. */
public final class ConfigTool {

  private ConfigTool() {
  }

  public static void main(String[] args) {
    AppConfig config = ToolConfig.load();
    String what = args.length == 0 ? "" : args[0];
    switch (what) {
      case "db-uri" -> System.out.println(ToolConfig.databaseUri(config));
      case "base-url" -> System.out.println("http://" + ("0.0.0.0".equals(config.http().host()) ? "localhost" : config.http().host())
          + ":" + config.http().port());
      case "token" -> System.out.println(config.tokens().isEmpty() ? "" : config.tokens().get(0).token());
      default -> {
        System.err.println("usage: ConfigTool db-uri|base-url|token");
        System.exit(2);
      }
    }
  }
}
