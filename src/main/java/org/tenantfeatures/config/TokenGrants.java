package org.tenantfeatures.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.tenantfeatures.client.TenantIds;
import org.tenantfeatures.config.AppConfig.TokenGrant;

/**
 * {@code auth.tokens}, read and checked: each entry an object with a unique name (the audit
 * log's actor), a unique token of at least 8 characters without spaces, its tenants ("*" or
 * UUIDs) and a non-empty list of permissions (default: read). No message repeats a token.
 */
final class TokenGrants {

  /** Token names are written into audit rows and log lines: no spaces or control characters. */
  private static final Pattern TOKEN_NAME = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");

  private TokenGrants() {
  }

  static List<TokenGrant> read(ConfigReader r) {
    List<TokenGrant> grants = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Set<String> names = new HashSet<>();
    var array = r.array("auth.tokens");
    for (int i = 0; i < array.size(); i++) {
      String key = "auth.tokens[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject entry)) {
        // Never echo it: a token given as a bare string is a secret.
        throw ConfigReader.invalid(key, ConfigReader.REDACTED, "an object {name, token, tenants, permissions}");
      }
      ConfigReader e = new ConfigReader(entry, key + ".");
      String name = entry.containsKey("name") ? e.nonBlank("name") : "token-" + i;
      // The name is the audit log's actor: two tokens of one name would be told apart nowhere.
      if (!TOKEN_NAME.matcher(name).matches() || !names.add(name)) {
        throw ConfigReader.invalid(key + ".name", name, "a unique name of 1 to 64 of A-Z a-z 0-9 . _ : @ -");
      }
      String token = e.nonBlank("token");
      // The authenticator trims what a client sends, so a token with spaces could never match.
      if (token.length() < 8 || !token.strip().equals(token) || token.chars().anyMatch(Character::isWhitespace)
          || !seen.add(token)) {
        throw ConfigReader.invalid(key + ".token", ConfigReader.REDACTED, "a unique token of at least 8 characters without spaces");
      }
      var tenantList = e.array("tenants");
      if (tenantList.isEmpty()) {
        throw ConfigReader.invalid(key + ".tenants", tenantList, "[\"*\"] or at least one tenant UUID");
      }
      boolean all = false;
      Set<String> tenants = new HashSet<>();
      for (Object t : tenantList) {
        if ("*".equals(t)) {
          all = true;
        } else {
          tenants.add(TenantIds.canonical(String.valueOf(t)).orElseThrow(
              () -> ConfigReader.invalid(key + ".tenants", t, "\"*\" or tenant UUIDs")));
        }
      }
      Set<String> permissions = new HashSet<>();
      if (entry.containsKey("permissions")) {
        if (e.array("permissions").isEmpty()) {
          // A token that may do nothing is a mistake, not a way to lock a client out: remove it.
          throw ConfigReader.invalid(key + ".permissions", e.array("permissions"), "some of " + TokenGrant.PERMISSIONS);
        }
        for (Object p : e.array("permissions")) {
          if (!TokenGrant.PERMISSIONS.contains(p)) {
            throw ConfigReader.invalid(key + ".permissions", p, "some of " + TokenGrant.PERMISSIONS);
          }
          permissions.add((String) p);
        }
      } else {
        permissions.add("read");
      }
      grants.add(new TokenGrant(name, token, all, Set.copyOf(tenants), Set.copyOf(permissions)));
    }
    return List.copyOf(grants);
  }
}
