-- Reconciliation of vendor-funded promotions (reconciliation/): sales lines are accrued in
-- batches, each batch an accrual posted to the vendor's condition contract in the ERP; accruals
-- are settled by claims. Rows are written before the ERP call (an outbox): a post that fails is
-- posted again with the same reference, and the ERP's repeatability answers it once.
CREATE TABLE funding_accruals (
  id           text PRIMARY KEY,
  promotion_id text NOT NULL REFERENCES promotions (id),
  seq          integer NOT NULL,
  agreement_id text NOT NULL,
  amount       numeric(15, 2) NOT NULL,
  currency     text NOT NULL,
  line_count   integer NOT NULL,
  posting_date date NOT NULL,
  created_at   timestamptz NOT NULL,
  created_by   text NOT NULL,
  posted_at    timestamptz,
  erp_document text,
  claim_id     text,
  UNIQUE (promotion_id, seq)
);

CREATE TABLE settlement_claims (
  id              text PRIMARY KEY,
  promotion_id    text NOT NULL REFERENCES promotions (id),
  seq             integer NOT NULL,
  agreement_id    text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('FINAL', 'DELTA')),
  amount          numeric(15, 2) NOT NULL,
  currency        text NOT NULL,
  settlement_date date NOT NULL,
  created_at      timestamptz NOT NULL,
  created_by      text NOT NULL,
  posted_at       timestamptz,
  erp_document    text,
  UNIQUE (promotion_id, seq)
);

ALTER TABLE funding_accruals
  ADD CONSTRAINT funding_accruals_claim FOREIGN KEY (claim_id) REFERENCES settlement_claims (id);

ALTER TABLE redemption_lines ADD COLUMN accrual_id text REFERENCES funding_accruals (id);
CREATE INDEX redemption_lines_unaccrued ON redemption_lines (promotion_id)
  WHERE accrual_id IS NULL;

-- The last reconciliation's view of the agreement (cap and what the ERP has accrued on it), so
-- the exception sweep can raise funding-cap exceptions without calling the ERP.
CREATE TABLE funding_snapshots (
  promotion_id    text PRIMARY KEY REFERENCES promotions (id),
  agreement_id    text NOT NULL,
  currency        text NOT NULL,
  cap             numeric(15, 2),
  -- Everything accrued on the agreement (all its promotions), as the ERP answered.
  agreement_accrued numeric(15, 2) NOT NULL,
  -- This promotion's accrual and claim documents as the ERP holds them.
  erp_accrued     numeric(15, 2) NOT NULL,
  erp_claimed     numeric(15, 2) NOT NULL,
  ties_out        boolean NOT NULL,
  checked_at      timestamptz NOT NULL
);
