package org.tenantfeatures.http.v3;

import org.junit.jupiter.api.DisplayName;
import org.tenantfeatures.support.TestPostgres;

@DisplayName("Tenant endpoints on the embedded PostgreSQL (or TF_TEST_DB_URI)")
class EmbeddedTenantApiIT extends TenantApiContract {

  @Override
  TestPostgres postgres() {
    return TestPostgres.shared();
  }
}
