package org.tenantfeatures.db;

/** SQL of the diagnostics: the database's own view of this node's connections. */
final class DiagnosticQueries {

  /**
   * This node's connections (found by their application_name) by state, except the one asking:
   * the pool's in-use count was read before it was taken.
   */
  static final String CONNECTIONS_BY_STATE = """
      SELECT coalesce(state, 'unknown') AS state, count(*) AS connections
      FROM pg_stat_activity
      WHERE application_name = $1 AND pid <> pg_backend_pid()
      GROUP BY 1
      ORDER BY 1""";

  static final String SERVER_VERSION = "SHOW server_version";

  private DiagnosticQueries() {
  }
}
