-- How many tenants override a flag (what deleting it removes, shown by the console before it
-- asks) and the flag deletion's own cascade both look tenant_features up by feature_id, which
-- the primary key (tenant_id, feature_id) cannot serve: without this, each is a scan of every
-- tenant's overrides.
CREATE INDEX tenant_features_feature_id ON tenant_features (feature_id);
