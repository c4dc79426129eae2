-- Each tenant's map has a revision that every change of its overrides bumps, whoever makes it.
CREATE TABLE tenant_revisions (
    tenant_id UUID   PRIMARY KEY,
    revision  BIGINT NOT NULL
);

-- One row per write through the API, in the write's own transaction.
CREATE TABLE audit_log (
    id         BIGSERIAL   PRIMARY KEY,
    tenant_id  UUID        NOT NULL,
    actor      TEXT        NOT NULL,
    action     TEXT        NOT NULL,
    flag       TEXT        NOT NULL,
    before     BOOLEAN,            -- NULL: no override, the default (false) applied
    after      BOOLEAN,
    revision   BIGINT      NOT NULL,
    request_id TEXT,
    at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, id DESC);

-- Changes made by hand in SQL must be noticed too (the incident's team edited tables directly):
-- the trigger bumps the revision and announces the change. NOTIFY is delivered on commit only.
CREATE FUNCTION tenant_features_changed() RETURNS trigger AS $$
DECLARE
    tenant   UUID   := COALESCE(NEW.tenant_id, OLD.tenant_id);
    flag_id  BIGINT := COALESCE(NEW.feature_id, OLD.feature_id);
    new_rev  BIGINT;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.is_enabled IS NOT DISTINCT FROM OLD.is_enabled
       AND NEW.tenant_id = OLD.tenant_id AND NEW.feature_id = OLD.feature_id THEN
        RETURN NULL;
    END IF;
    INSERT INTO tenant_revisions (tenant_id, revision) VALUES (tenant, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET revision = tenant_revisions.revision + 1
    RETURNING revision INTO new_rev;
    PERFORM pg_notify('tenant_features_changed', json_build_object(
        'tenantId', tenant,
        'flag', (SELECT name FROM feature_flags WHERE id = flag_id),
        'revision', new_rev)::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER tenant_features_changed
    AFTER INSERT OR UPDATE OR DELETE ON tenant_features
    FOR EACH ROW EXECUTE FUNCTION tenant_features_changed();

-- A flag added, renamed or removed changes every tenant's map.
CREATE FUNCTION feature_flags_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.name = OLD.name THEN
        RETURN NULL;
    END IF;
    PERFORM pg_notify('tenant_features_changed', json_build_object(
        'tenantId', NULL, 'flag', COALESCE(NEW.name, OLD.name), 'revision', NULL)::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER feature_flags_changed
    AFTER INSERT OR UPDATE OR DELETE ON feature_flags
    FOR EACH ROW EXECUTE FUNCTION feature_flags_changed();
