-- Billing (issue 7): model prices, what each request was charged and at which prices,
-- redemption codes. Money columns are integer micro-cents (1 cent = 1,000,000 µ¢).

-- One row per model. Token prices are µ¢ per million tokens; cached_input_price NULL means cached
-- input costs the input price. Unit prices (NULL = the model is not sold by that unit):
-- image_price µ¢ per image, audio_second_price µ¢ per second of audio, character_price µ¢ per
-- million characters of text to speech.
CREATE TABLE model_prices (
  model VARCHAR(255) NOT NULL PRIMARY KEY,
  input_price BIGINT NOT NULL,
  output_price BIGINT NOT NULL,
  cached_input_price BIGINT,
  image_price BIGINT,
  audio_second_price BIGINT,
  character_price BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- What the request cost (exactly what was taken from the key and the account), the tokens read
-- from the cache, and the prices and ratio it was charged at. charge_shortfall: what the usage
-- was worth beyond what the account still had (never taken; kept for the operator).
ALTER TABLE usage_records ADD COLUMN cost BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_records ADD COLUMN cached_tokens INT NOT NULL DEFAULT 0;
ALTER TABLE usage_records ADD COLUMN input_price BIGINT;
ALTER TABLE usage_records ADD COLUMN output_price BIGINT;
ALTER TABLE usage_records ADD COLUMN cached_input_price BIGINT;
ALTER TABLE usage_records ADD COLUMN price_ratio VARCHAR(32);
ALTER TABLE usage_records ADD COLUMN charge_shortfall BIGINT NOT NULL DEFAULT 0;
CREATE INDEX idx_usage_user_time ON usage_records (user_id, created_at);

-- Single-use codes worth an amount. Only a hash of the code is kept (it is shown once, when the
-- batch is made); redeemed_by is set exactly once, by the UPDATE that wins.
CREATE TABLE redemption_codes (
  id ${id_column},
  batch VARCHAR(128) NOT NULL,
  code_hash VARCHAR(64) NOT NULL UNIQUE,
  code_prefix VARCHAR(16) NOT NULL,
  amount BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  redeemed_by BIGINT,
  redeemed_at BIGINT
);
CREATE INDEX idx_redemption_batch ON redemption_codes (batch, id);
CREATE INDEX idx_redemption_redeemer ON redemption_codes (redeemed_by, redeemed_at);
