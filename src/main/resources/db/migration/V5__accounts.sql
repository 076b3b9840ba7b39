-- Accounts (issue 6): users, their groups, their own provider keys (BYOK), a journal of quota
-- changes, and gateway-wide settings. Money columns are integer micro-cents (1 cent = 1,000,000).

-- Caller groups: which models their users may call and the price ratio they pay.
-- Not named "groups": a reserved word on MySQL 8.
CREATE TABLE user_groups (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  description VARCHAR(255),
  -- Comma-separated; NULL = every model.
  models ${long_text},
  -- A decimal such as 1 or 0.8, kept as text so no float ever touches money.
  price_ratio VARCHAR(32) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
INSERT INTO user_groups (name, description, models, price_ratio, created_at, updated_at)
  VALUES ('default', 'every user starts here', NULL, '1', 0, 0);

-- Usernames and emails are stored lower-case: 'Alice' and 'alice' are one account.
CREATE TABLE users (
  id ${id_column},
  username VARCHAR(32) NOT NULL UNIQUE,
  email VARCHAR(254) UNIQUE,
  display_name VARCHAR(128),
  -- argon2id, in its PHC string form ($argon2id$v=19$m=…); never the password.
  password_hash VARCHAR(255) NOT NULL,
  role VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL,
  group_name VARCHAR(64) NOT NULL,
  quota BIGINT NOT NULL DEFAULT 0,
  used_quota BIGINT NOT NULL DEFAULT 0,
  request_count BIGINT NOT NULL DEFAULT 0,
  invite_code VARCHAR(32) NOT NULL UNIQUE,
  inviter_id BIGINT,
  -- Bumped when the password changes: sessions signed before then stop working.
  session_version INT NOT NULL DEFAULT 0,
  -- The user's routing policy, comma-separated; NULL = no restriction.
  allowed_providers ${long_text},
  allowed_models ${long_text},
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Keys now belong to a user (NULL only for keys made before accounts existed; start-up gives
-- those to the root admin) and may name a plan, restrict client addresses and record their use.
ALTER TABLE api_keys ADD COLUMN user_id BIGINT;
ALTER TABLE api_keys ADD COLUMN plan_id BIGINT;
ALTER TABLE api_keys ADD COLUMN allow_ips ${long_text};
ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT;
CREATE INDEX idx_api_keys_user ON api_keys (user_id, id);

-- A user's own provider keys, encrypted like channel keys (SecretBox); one per provider kind.
CREATE TABLE provider_keys (
  id ${id_column},
  user_id BIGINT NOT NULL,
  provider VARCHAR(32) NOT NULL,
  base_url VARCHAR(1024),
  secret_enc ${long_text} NOT NULL,
  -- What may be shown: the first and last characters of the key.
  key_hint VARCHAR(32) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (user_id, provider)
);

-- Every change to a user's quota, with why: top-ups, admin adjustments, invite rewards.
CREATE TABLE quota_journal (
  id ${id_column},
  user_id BIGINT NOT NULL,
  kind VARCHAR(32) NOT NULL,
  amount BIGINT NOT NULL,
  reason VARCHAR(255),
  actor_id BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_quota_journal_user ON quota_journal (user_id, id);

-- Gateway-wide values made at first start (the session-signing secret, encrypted).
CREATE TABLE settings (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  value ${long_text} NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Which request was served with the caller's own provider key (billed at the BYOK fee ratio).
ALTER TABLE usage_records ADD COLUMN user_id BIGINT;
ALTER TABLE usage_records ADD COLUMN byok SMALLINT NOT NULL DEFAULT 0;
