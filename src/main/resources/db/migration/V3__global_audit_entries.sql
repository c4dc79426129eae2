-- Flag definitions are global: their audit entries have no tenant.
ALTER TABLE audit_log ALTER COLUMN tenant_id DROP NOT NULL;
