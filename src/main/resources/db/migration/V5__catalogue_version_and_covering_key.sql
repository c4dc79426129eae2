-- The catalogue (which flags exist, by id and name) changes seldom, and every map read needs it:
-- the map read returns the catalogue's version on every call and the catalogue's rows only when
-- the caller's copy has another version (FeatureQueries.TENANT_MAP). A version is a random UUID,
-- never a counter: a database restored from a backup cannot hand out a version again for
-- another catalogue. One row; the triggers below replace it in the transaction that changes the
-- catalogue, so one snapshot sees both the change and its version or neither.
CREATE TABLE catalogue_version (
    only_row BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
    version  UUID    NOT NULL
);
INSERT INTO catalogue_version (version) VALUES (gen_random_uuid());

-- As before (V2), plus the new version: a flag added, renamed or removed changes every tenant's
-- map; a description does not.
CREATE OR REPLACE FUNCTION feature_flags_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.name = OLD.name AND NEW.id = OLD.id THEN
        RETURN NULL;
    END IF;
    UPDATE catalogue_version SET version = gen_random_uuid();
    PERFORM pg_notify('tenant_features_changed', json_build_object(
        'tenantId', NULL, 'flag', COALESCE(NEW.name, OLD.name), 'revision', NULL)::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- TRUNCATE fires no row trigger: the version must move all the same. Every node must also drop
-- every cached map (an announcement without tenant or flag): tenant_features' trigger below says
-- so, and it fires for this truncation too, since feature_flags can only be truncated together
-- with tenant_features, whose foreign key references it. Truncating tenant_features alone changes
-- every tenant's map without touching the catalogue.
CREATE FUNCTION feature_flags_truncated() RETURNS trigger AS $$
BEGIN
    UPDATE catalogue_version SET version = gen_random_uuid();
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER feature_flags_truncated
    AFTER TRUNCATE ON feature_flags
    FOR EACH STATEMENT EXECUTE FUNCTION feature_flags_truncated();

CREATE FUNCTION tenant_features_truncated() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('tenant_features_changed', json_build_object(
        'tenantId', NULL, 'flag', NULL, 'revision', NULL)::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER tenant_features_truncated
    AFTER TRUNCATE ON tenant_features
    FOR EACH STATEMENT EXECUTE FUNCTION tenant_features_truncated();

-- The map read looks a tenant's overrides up by the primary key and needs only is_enabled
-- besides: carried in the key's index, the read is an index-only scan (one leaf page for a
-- tenant's 40 rows, instead of 40 heap pages) wherever the visibility map is current, i.e. after
-- autovacuum has visited the table. The price: an update of is_enabled is never a HOT update.
ALTER TABLE tenant_features
    DROP CONSTRAINT tenant_features_pkey,
    ADD CONSTRAINT tenant_features_pkey PRIMARY KEY (tenant_id, feature_id) INCLUDE (is_enabled);

-- An index-only scan visits the heap for every row on a page changed since the last vacuum, so
-- vacuum this table after 2 % of its rows changed or were added rather than PostgreSQL's default
-- 20 % (each vacuum of a mostly all-visible table skips the pages that did not change).
ALTER TABLE tenant_features SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
