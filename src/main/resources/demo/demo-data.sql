-- Demo data for the dev configuration (demo.load=true): the incident's tenant and a few flags.
-- Idempotent: safe on every start.
INSERT INTO feature_flags (name, description) VALUES
    ('contentgap',     'Content gap analysis'),
    ('localbusiness',  'Local business scraper'),
    ('sitemap',        'Sitemap analyzer'),
    ('batch.scraper',  'Batch scraping jobs'),
    ('emailhunter',    'E-mail discovery'),
    ('dashboard-v2',   'New dashboard'),
    ('rbac.admin',     'Role administration UI')
ON CONFLICT (name) DO NOTHING;

INSERT INTO tenant_features (tenant_id, feature_id, is_enabled)
SELECT '550e8400-e29b-41d4-a716-446655440000'::uuid, id, enabled
FROM feature_flags
JOIN (VALUES ('contentgap', true), ('localbusiness', true), ('sitemap', false),
             ('batch.scraper', true), ('dashboard-v2', true)) AS t(flag, enabled)
  ON feature_flags.name = t.flag
ON CONFLICT (tenant_id, feature_id) DO NOTHING;

INSERT INTO roles (tenant_id, name, description) VALUES
    ('550e8400-e29b-41d4-a716-446655440000', 'admin',  'Full access'),
    ('550e8400-e29b-41d4-a716-446655440000', 'editor', 'Edits content'),
    ('550e8400-e29b-41d4-a716-446655440000', 'viewer', 'Reads content')
ON CONFLICT (tenant_id, name) DO NOTHING;
