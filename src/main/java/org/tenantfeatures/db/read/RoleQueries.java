package org.tenantfeatures.db.read;

/** SQL of tenant roles, run as prepared statements. */
final class RoleQueries {

  static final String TENANT_ROLES = """
      SELECT name, description
      FROM roles
      WHERE tenant_id = $1
      ORDER BY name""";

  private RoleQueries() {
  }
}
