package org.tenantfeatures.http.v3;

import org.junit.jupiter.api.DisplayName;
import org.tenantfeatures.support.TestPostgres;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The same contract on a PostgreSQL container; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
@DisplayName("Tenant endpoints on a Testcontainers PostgreSQL")
class ContainerTenantApiIT extends TenantApiContract {

  @Container
  static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:16-alpine");

  @Override
  TestPostgres postgres() {
    return TestPostgres.at("postgresql://" + POSTGRES.getUsername() + ":" + POSTGRES.getPassword() + "@"
        + POSTGRES.getHost() + ":" + POSTGRES.getMappedPort(5432) + "/" + POSTGRES.getDatabaseName());
  }
}
