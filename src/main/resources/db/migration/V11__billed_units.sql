-- Endpoints that do not sell tokens (issue 10): what a request was billed by — 'image', 'second'
-- or 'character' — how many (a plain decimal: audio seconds have fractions), whether the count is
-- the gateway's estimate, and the unit price charged. All null for requests billed by tokens.
-- One column per statement: SQLite's ALTER TABLE adds one at a time.
ALTER TABLE usage_records ADD COLUMN billed_unit VARCHAR(16);
ALTER TABLE usage_records ADD COLUMN billed_quantity VARCHAR(40);
ALTER TABLE usage_records ADD COLUMN units_estimated SMALLINT;
ALTER TABLE usage_records ADD COLUMN unit_price BIGINT;
