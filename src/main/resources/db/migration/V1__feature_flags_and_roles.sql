-- Flags exist once; a tenant's row overrides the default (false) for that tenant only.
CREATE TABLE feature_flags (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT        NOT NULL UNIQUE,
    description TEXT        NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT feature_flags_name_form CHECK (name ~ '^[a-z][a-z0-9_.-]{0,99}$')
);

CREATE TABLE tenant_features (
    tenant_id   UUID        NOT NULL,
    feature_id  BIGINT      NOT NULL REFERENCES feature_flags (id) ON DELETE CASCADE,
    is_enabled  BOOLEAN     NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, feature_id)
);

-- Roles are defined per tenant (the incident's "similar endpoint", GET /api/v3/rbac/roles).
CREATE TABLE roles (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   UUID        NOT NULL,
    name        TEXT        NOT NULL,
    description TEXT        NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

-- Which flags a role grants; the read API does not use it yet, the write API will.
CREATE TABLE role_features (
    role_id     BIGINT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    feature_id  BIGINT NOT NULL REFERENCES feature_flags (id) ON DELETE CASCADE,
    PRIMARY KEY (role_id, feature_id)
);
