-- Why a channel left routing on its own (AUTO_DISABLED: the upstream refused its key or its
-- account); cleared when an operator changes the status. Never holds a secret.
ALTER TABLE channels ADD COLUMN status_reason VARCHAR(512);

-- Every upstream attempt of the request, as compact JSON: [{"channel":1,"status":500,"ms":12}, …].
ALTER TABLE usage_records ADD COLUMN attempts ${long_text};
