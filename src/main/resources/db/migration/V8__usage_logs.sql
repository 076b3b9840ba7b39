-- Usage logs, statistics and attribution (issue 9).

-- What the caller named the request's workflow, step, execution, source and project
-- (x-workflow-tag, x-step, x-execution-id, x-source, x-project); NULL when absent.
ALTER TABLE usage_records ADD COLUMN workflow_tag VARCHAR(128);
ALTER TABLE usage_records ADD COLUMN step VARCHAR(128);
ALTER TABLE usage_records ADD COLUMN execution_id VARCHAR(128);
ALTER TABLE usage_records ADD COLUMN source VARCHAR(128);
ALTER TABLE usage_records ADD COLUMN project VARCHAR(128);

-- Per hour (epoch millis of its start, UTC) × account × key × requested model: what the stats
-- API reads, so that it never scans the records. Written by the usage writer in the records'
-- own transaction; never purged (the retention purge removes records only).
CREATE TABLE usage_rollups (
  hour BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  key_id BIGINT NOT NULL,
  model VARCHAR(255) NOT NULL,
  requests BIGINT NOT NULL,
  successes BIGINT NOT NULL,
  prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  cached_tokens BIGINT NOT NULL,
  cost BIGINT NOT NULL,
  PRIMARY KEY (hour, user_id, key_id, model)
);
CREATE INDEX idx_rollup_user_hour ON usage_rollups (user_id, hour);

-- Successful requests per hour × account × latency bucket (usage/LatencyBuckets: bucket i holds
-- total latencies below BOUNDS[i] ms and at least BOUNDS[i-1]), for p50 and p95.
CREATE TABLE latency_rollups (
  hour BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  bucket INT NOT NULL,
  requests BIGINT NOT NULL,
  PRIMARY KEY (hour, user_id, bucket)
);

-- Per hour × account × project × workflow × step × execution ('' when absent, since NULLs do not
-- meet in a key): the attribution stats and the budgets' spend.
CREATE TABLE attribution_rollups (
  hour BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  project VARCHAR(128) NOT NULL,
  workflow_tag VARCHAR(128) NOT NULL,
  step VARCHAR(128) NOT NULL,
  execution_id VARCHAR(128) NOT NULL,
  requests BIGINT NOT NULL,
  prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  cost BIGINT NOT NULL,
  PRIMARY KEY (hour, user_id, project, workflow_tag, step, execution_id)
);
CREATE INDEX idx_attribution_user_hour ON attribution_rollups (user_id, hour);

-- The records written before this version, rolled up like the writer does.
INSERT INTO usage_rollups (hour, user_id, key_id, model, requests, successes, prompt_tokens, completion_tokens,
    cached_tokens, cost)
  SELECT created_at - created_at % 3600000, COALESCE(user_id, 0), key_id, model_requested, COUNT(*),
      SUM(CASE WHEN status < 400 THEN 1 ELSE 0 END), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens),
      SUM(cost)
  FROM usage_records
  GROUP BY created_at - created_at % 3600000, COALESCE(user_id, 0), key_id, model_requested;

INSERT INTO latency_rollups (hour, user_id, bucket, requests)
  SELECT hour, user_id, bucket, COUNT(*) FROM (
    SELECT created_at - created_at % 3600000 AS hour, COALESCE(user_id, 0) AS user_id,
      CASE WHEN total_ms < 10 THEN 0 WHEN total_ms < 20 THEN 1 WHEN total_ms < 50 THEN 2 WHEN total_ms < 100 THEN 3
        WHEN total_ms < 200 THEN 4 WHEN total_ms < 300 THEN 5 WHEN total_ms < 500 THEN 6 WHEN total_ms < 750 THEN 7
        WHEN total_ms < 1000 THEN 8 WHEN total_ms < 1500 THEN 9 WHEN total_ms < 2000 THEN 10
        WHEN total_ms < 3000 THEN 11 WHEN total_ms < 5000 THEN 12 WHEN total_ms < 7500 THEN 13
        WHEN total_ms < 10000 THEN 14 WHEN total_ms < 15000 THEN 15 WHEN total_ms < 20000 THEN 16
        WHEN total_ms < 30000 THEN 17 WHEN total_ms < 60000 THEN 18 WHEN total_ms < 120000 THEN 19
        WHEN total_ms < 300000 THEN 20 ELSE 21 END AS bucket
    FROM usage_records WHERE status < 400) timed
  GROUP BY hour, user_id, bucket;

INSERT INTO attribution_rollups (hour, user_id, project, workflow_tag, step, execution_id, requests, prompt_tokens,
    completion_tokens, cost)
  SELECT created_at - created_at % 3600000, COALESCE(user_id, 0), '', '', '', '', COUNT(*), SUM(prompt_tokens),
      SUM(completion_tokens), SUM(cost)
  FROM usage_records
  GROUP BY created_at - created_at % 3600000, COALESCE(user_id, 0);

CREATE INDEX idx_usage_workflow_time ON usage_records (workflow_tag, created_at);
CREATE INDEX idx_usage_project_time ON usage_records (project, created_at);
