-- Budgets (issue 9): an account's cap, in micro-cents per UTC day or calendar month, on what the
-- requests it tags with one workflow (x-workflow-tag) or one project (x-project) may cost. The
-- spend is read from attribution_rollups; a request is refused (402) once the cap is reached.
CREATE TABLE budgets (
  id ${id_column},
  user_id BIGINT NOT NULL,
  dimension VARCHAR(16) NOT NULL,
  name VARCHAR(128) NOT NULL,
  period VARCHAR(8) NOT NULL,
  limit_cost BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (user_id, dimension, name, period)
);

-- A budget's spend is summed over its workflow's or project's rollups since the period began.
CREATE INDEX idx_attribution_workflow ON attribution_rollups (user_id, workflow_tag, hour);
CREATE INDEX idx_attribution_project ON attribution_rollups (user_id, project, hour);
