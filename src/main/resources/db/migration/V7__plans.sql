-- Plans (issue 8): the rate limits a key is held to. Zero = no limit of that kind. A key names a
-- plan (api_keys.plan_id); without one it is held to its owner's plan (users.plan_id), and
-- without that to none. Enterprise is the plan to give custom limits to.
CREATE TABLE plans (
  id ${id_column},
  name VARCHAR(64) NOT NULL UNIQUE,
  qps BIGINT NOT NULL,
  rpm BIGINT NOT NULL,
  tpm BIGINT NOT NULL,
  max_concurrent INT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
INSERT INTO plans (name, qps, rpm, tpm, max_concurrent, created_at, updated_at) VALUES ('free', 2, 20, 40000, 0, 0, 0);
INSERT INTO plans (name, qps, rpm, tpm, max_concurrent, created_at, updated_at) VALUES ('starter', 10, 120, 200000, 0, 0, 0);
INSERT INTO plans (name, qps, rpm, tpm, max_concurrent, created_at, updated_at) VALUES ('pro', 30, 600, 2000000, 0, 0, 0);
INSERT INTO plans (name, qps, rpm, tpm, max_concurrent, created_at, updated_at) VALUES ('enterprise', 0, 0, 0, 0, 0, 0);

ALTER TABLE users ADD COLUMN plan_id BIGINT;
