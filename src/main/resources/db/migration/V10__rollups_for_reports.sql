-- Rollups laid out for the stats' reads (issue 9: a 30-day report over 10 million requests in
-- under 100 ms, StatsAtScaleTest). One account's report reads its own rows only, in key order;
-- a report over every account reads rollups summed over all of them. ${clustered_by_key} stores
-- a table in primary-key order where the database would not (SQLite; see db/Dialect).

-- Per account × hour × key × model, keyed by account first (V8 keyed it by hour first, so one
-- account's month was a row look-up per index entry among every account's rows).
CREATE TABLE usage_rollups_by_account (
  user_id BIGINT NOT NULL,
  hour BIGINT NOT NULL,
  key_id BIGINT NOT NULL,
  model VARCHAR(255) NOT NULL,
  requests BIGINT NOT NULL,
  successes BIGINT NOT NULL,
  prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  cached_tokens BIGINT NOT NULL,
  cost BIGINT NOT NULL,
  PRIMARY KEY (user_id, hour, key_id, model)
)${clustered_by_key};
INSERT INTO usage_rollups_by_account (user_id, hour, key_id, model, requests, successes, prompt_tokens,
    completion_tokens, cached_tokens, cost)
  SELECT user_id, hour, key_id, model, requests, successes, prompt_tokens, completion_tokens, cached_tokens, cost
  FROM usage_rollups;
DROP TABLE usage_rollups;
ALTER TABLE usage_rollups_by_account RENAME TO usage_rollups;
-- The start-up reconciliation sums each key's cost.
CREATE INDEX idx_rollup_key ON usage_rollups (key_id);

-- Successful requests per account × hour × latency bucket, keyed by account first likewise.
CREATE TABLE latency_rollups_by_account (
  user_id BIGINT NOT NULL,
  hour BIGINT NOT NULL,
  bucket INT NOT NULL,
  requests BIGINT NOT NULL,
  PRIMARY KEY (user_id, hour, bucket)
)${clustered_by_key};
INSERT INTO latency_rollups_by_account (user_id, hour, bucket, requests)
  SELECT user_id, hour, bucket, requests FROM latency_rollups;
DROP TABLE latency_rollups;
ALTER TABLE latency_rollups_by_account RENAME TO latency_rollups;

-- Per hour × requested model, summed over every account and key: an admin's report reads at most
-- one row per model per hour, however many accounts and keys there are.
CREATE TABLE usage_rollups_all (
  hour BIGINT NOT NULL,
  model VARCHAR(255) NOT NULL,
  requests BIGINT NOT NULL,
  successes BIGINT NOT NULL,
  prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  cached_tokens BIGINT NOT NULL,
  cost BIGINT NOT NULL,
  PRIMARY KEY (hour, model)
)${clustered_by_key};
INSERT INTO usage_rollups_all (hour, model, requests, successes, prompt_tokens, completion_tokens, cached_tokens, cost)
  SELECT hour, model, SUM(requests), SUM(successes), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens),
      SUM(cost)
  FROM usage_rollups
  GROUP BY hour, model;

-- Successful requests per hour × latency bucket, over every account.
CREATE TABLE latency_rollups_all (
  hour BIGINT NOT NULL,
  bucket INT NOT NULL,
  requests BIGINT NOT NULL,
  PRIMARY KEY (hour, bucket)
)${clustered_by_key};
INSERT INTO latency_rollups_all (hour, bucket, requests)
  SELECT hour, bucket, SUM(requests) FROM latency_rollups GROUP BY hour, bucket;
