-- Channel settings of issue 5. secret_enc keeps its name and now holds one encrypted JSON array
-- of provider keys (rows written before hold a single key; the repository reads both).
-- One column per statement: SQLite's ALTER TABLE adds one at a time.
ALTER TABLE channels ADD COLUMN param_overrides ${long_text};
ALTER TABLE channels ADD COLUMN extra_headers ${long_text};
ALTER TABLE channels ADD COLUMN connect_timeout_ms INT;
ALTER TABLE channels ADD COLUMN first_byte_timeout_ms INT;
ALTER TABLE channels ADD COLUMN idle_timeout_ms INT;
-- Comma-separated, like models. Not named "groups": a reserved word on MySQL 8.
ALTER TABLE channels ADD COLUMN caller_groups VARCHAR(1024) NOT NULL DEFAULT 'default';
