-- Channels: upstream endpoints. The provider secret is stored encrypted (AES-GCM, see SecretBox).
CREATE TABLE channels (
  id ${id_column},
  name VARCHAR(128) NOT NULL UNIQUE,
  type VARCHAR(32) NOT NULL,
  base_url VARCHAR(1024) NOT NULL,
  secret_enc ${long_text} NOT NULL,
  models ${long_text} NOT NULL,
  model_mapping ${long_text},
  priority INT NOT NULL DEFAULT 0,
  weight INT NOT NULL DEFAULT 1,
  status VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- API keys: only a SHA-256 hash and a display prefix of the key are kept.
-- Money columns are integer micro-cents (1 cent = 1,000,000).
CREATE TABLE api_keys (
  id ${id_column},
  name VARCHAR(128) NOT NULL,
  key_hash VARCHAR(64) NOT NULL UNIQUE,
  key_prefix VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL,
  quota_limit BIGINT,
  used_quota BIGINT NOT NULL DEFAULT 0,
  models ${long_text},
  expires_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE usage_records (
  id ${id_column},
  request_id VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  key_id BIGINT NOT NULL,
  model_requested VARCHAR(255) NOT NULL,
  model_used VARCHAR(255),
  channel_id BIGINT,
  stream SMALLINT NOT NULL,
  prompt_tokens INT NOT NULL,
  completion_tokens INT NOT NULL,
  tokens_estimated SMALLINT NOT NULL,
  first_byte_ms INT,
  total_ms INT NOT NULL,
  status INT NOT NULL,
  error_code VARCHAR(64)
);

CREATE INDEX idx_usage_key_time ON usage_records (key_id, created_at);
CREATE INDEX idx_usage_time ON usage_records (created_at);
