-- The release model: a flag's targeting (default, segment rules, rollout), segments, and tenants
-- as records with attributes. The service evaluates maps from these inputs (evaluation.Evaluator);
-- a flag without targeting keeps the incident's join: false without an override.

-- NULL: no targeting. Otherwise evaluation.Targeting's JSON form, checked by the service before it
-- is written: {"default", "rules": [{"segment", "value"}], "rollout": {"percentage"}, "salt"?}.
ALTER TABLE feature_flags ADD COLUMN targeting JSONB CHECK (targeting IS NULL OR jsonb_typeof(targeting) = 'object');

-- Named sets of tenants, reusable by every flag's rules. The definition is evaluation.Segment's
-- JSON form without the name: {"description", "match", "conditions", "tenants"}.
CREATE TABLE segments (
    name       TEXT        PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_.-]{0,99}$'),
    definition JSONB       NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Tenants the service knows of (synced by our users from their own registry): a display name and
-- the attributes segments test (evaluation.Attributes: strings, numbers, booleans, lists of strings).
CREATE TABLE tenants (
    id         UUID        PRIMARY KEY,
    name       TEXT        NOT NULL DEFAULT '',
    attributes JSONB       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The map read finds a tenant's revision and attributes in one index lookup: tenant_revisions
-- keeps a copy of the record's attributes ('{}' without a record), written by the triggers below
-- only (never by hand: change the record, and the copy and the revision follow). A second lookup
-- in tenants cost the uncached map read 7 % of PostgreSQL's throughput (pgbench, 40 overrides).
ALTER TABLE tenant_revisions ADD COLUMN attributes JSONB NOT NULL DEFAULT '{}';

-- Search by name prefix (LIKE 'abc%' under any collation) and by attribute (attributes @> '{"plan": "x"}').
CREATE INDEX tenants_by_name ON tenants (lower(name) text_pattern_ops, id);
CREATE INDEX tenants_by_attributes ON tenants USING gin (attributes jsonb_path_ops);

-- Audit entries of the new changes carry their JSON before and after (a targeting, a segment, a
-- tenant's record), and a segment's change names the segment; the boolean columns stay for overrides.
ALTER TABLE audit_log
    ADD COLUMN segment     TEXT,
    ADD COLUMN before_json JSONB,
    ADD COLUMN after_json  JSONB,
    ALTER COLUMN flag DROP NOT NULL;

-- As before (V5), and a change of a flag's targeting too: each changes the catalogue (its version
-- moves, every node evaluates its cached tenants again); a description does not. The
-- announcement says it is the catalogue's ('catalogue': true): the tenants' own inputs did not
-- change, so a node keeps them and reads the catalogue once instead of every tenant again.
CREATE OR REPLACE FUNCTION feature_flags_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.name = OLD.name AND NEW.id = OLD.id
       AND NEW.targeting IS NOT DISTINCT FROM OLD.targeting THEN
        RETURN NULL;
    END IF;
    UPDATE catalogue_version SET version = gen_random_uuid();
    PERFORM pg_notify('tenant_features_changed', json_build_object(
        'tenantId', NULL, 'flag', COALESCE(NEW.name, OLD.name), 'revision', NULL, 'catalogue', true)::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Segments belong to the catalogue: any change of one moves its version and concerns every tenant.
CREATE FUNCTION segments_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.name = OLD.name AND NEW.definition = OLD.definition THEN
        RETURN NULL;
    END IF;
    UPDATE catalogue_version SET version = gen_random_uuid();
    PERFORM pg_notify('tenant_features_changed', json_build_object(
        'tenantId', NULL, 'flag', NULL, 'revision', NULL, 'catalogue', true)::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER segments_changed
    AFTER INSERT OR UPDATE OR DELETE ON segments
    FOR EACH ROW EXECUTE FUNCTION segments_changed();

CREATE FUNCTION segments_truncated() RETURNS trigger AS $$
BEGIN
    UPDATE catalogue_version SET version = gen_random_uuid();
    PERFORM pg_notify('tenant_features_changed', json_build_object(
        'tenantId', NULL, 'flag', NULL, 'revision', NULL, 'catalogue', true)::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER segments_truncated
    AFTER TRUNCATE ON segments
    FOR EACH STATEMENT EXECUTE FUNCTION segments_truncated();

-- A change of a tenant's attributes is a change of that tenant's map, like an override's: its
-- revision moves and the change is announced, whoever makes it (the API or SQL by hand). A name
-- alone changes no map. A new record without attributes still gets a revision row (at 0: its map
-- is unchanged), so that tenant_revisions lists every tenant the service knows of, records and
-- overrides alike (the directory's pages and a flag's population walk it).
CREATE FUNCTION tenants_changed() RETURNS trigger AS $$
DECLARE
    tenant  UUID  := COALESCE(NEW.id, OLD.id);
    before  JSONB := CASE WHEN TG_OP = 'INSERT' THEN '{}'::jsonb ELSE OLD.attributes END;
    after   JSONB := CASE WHEN TG_OP = 'DELETE' THEN '{}'::jsonb ELSE NEW.attributes END;
    new_rev BIGINT;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN
        RAISE EXCEPTION 'a tenant''s id does not change';
    END IF;
    IF before = after THEN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO tenant_revisions (tenant_id, revision) VALUES (tenant, 0) ON CONFLICT (tenant_id) DO NOTHING;
        END IF;
        RETURN NULL;
    END IF;
    INSERT INTO tenant_revisions (tenant_id, revision, attributes) VALUES (tenant, 1, after)
    ON CONFLICT (tenant_id) DO UPDATE SET revision = tenant_revisions.revision + 1, attributes = EXCLUDED.attributes
    RETURNING revision INTO new_rev;
    PERFORM pg_notify('tenant_features_changed', json_build_object(
        'tenantId', tenant, 'flag', NULL, 'revision', new_rev)::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER tenants_changed
    AFTER INSERT OR UPDATE OR DELETE ON tenants
    FOR EACH ROW EXECUTE FUNCTION tenants_changed();

CREATE FUNCTION tenants_truncated() RETURNS trigger AS $$
BEGIN
    UPDATE tenant_revisions SET attributes = '{}', revision = revision + 1 WHERE attributes <> '{}';
    PERFORM pg_notify('tenant_features_changed', json_build_object(
        'tenantId', NULL, 'flag', NULL, 'revision', NULL)::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER tenants_truncated
    AFTER TRUNCATE ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION tenants_truncated();
