-- Promotion storage: the current record, every committed version, the SKU index, the audit
-- trail, per-channel publication status, idempotency keys and the transactional outbox.

CREATE TABLE promotions (
  id          text PRIMARY KEY,
  seq         bigserial NOT NULL UNIQUE,       -- insertion order: list order and page cursors
  state       text NOT NULL,
  vendor_id   text,
  version     integer NOT NULL CHECK (version > 0),
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  search_text text NOT NULL,                   -- lower-cased name, description, display name
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  record      jsonb NOT NULL                   -- the PromotionRecord without seq and channels
);
CREATE INDEX promotions_state_seq ON promotions (state, seq);
CREATE INDEX promotions_vendor_seq ON promotions (vendor_id, seq) WHERE vendor_id IS NOT NULL;
CREATE INDEX promotions_due_start ON promotions (starts_at) WHERE state = 'SCHEDULED';
CREATE INDEX promotions_due_end ON promotions (ends_at)
  WHERE state IN ('SCHEDULED', 'ACTIVE', 'SUSPENDED');

-- Every committed version (a commit that keeps the version, such as a clock transition,
-- replaces that version's snapshot).
CREATE TABLE promotion_versions (
  promotion_id text NOT NULL REFERENCES promotions (id),
  version      integer NOT NULL,
  committed_at timestamptz NOT NULL DEFAULT now(),
  record       jsonb NOT NULL,                 -- the full PromotionRecord, channels included
  PRIMARY KEY (promotion_id, version)
);

-- The explicit SKU scope of the current record (included and excluded).
CREATE TABLE promotion_skus (
  sku          text NOT NULL,
  promotion_id text NOT NULL REFERENCES promotions (id),
  excluded     boolean NOT NULL,
  PRIMARY KEY (sku, promotion_id, excluded)
);
CREATE INDEX promotion_skus_promotion ON promotion_skus (promotion_id);

CREATE TABLE audit (
  seq           bigserial PRIMARY KEY,
  promotion_id  text NOT NULL REFERENCES promotions (id),
  at            timestamptz NOT NULL,
  actor_subject text NOT NULL,                 -- who
  actor         jsonb NOT NULL,                -- the principal (subject, kind, vendorId)
  action        text NOT NULL,
  from_state    text,
  to_state      text,
  reason        text,
  version       integer NOT NULL,
  channel       text
);
CREATE INDEX audit_promotion_seq ON audit (promotion_id, seq);

-- Intent and delivery status of the latest intent, per promotion and channel.
CREATE TABLE channel_publications (
  promotion_id      text NOT NULL REFERENCES promotions (id),
  channel           text NOT NULL,
  intent            text NOT NULL,
  status            text NOT NULL,
  target_version    integer NOT NULL,
  published_version integer,
  attempts          integer NOT NULL,
  last_error        text,
  next_attempt_at   timestamptz,
  sent_at           timestamptz,
  acknowledged_at   timestamptz,
  channel_ref       text,
  delivery_id       text NOT NULL,
  payload           jsonb NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (promotion_id, channel)
);
CREATE INDEX channel_publications_due ON channel_publications (next_attempt_at)
  WHERE status IN ('PENDING', 'SENT', 'FAILED');

CREATE TABLE idempotency_keys (
  scope        text NOT NULL,
  key          text NOT NULL,
  fingerprint  text NOT NULL,
  promotion_id text NOT NULL REFERENCES promotions (id),
  version      integer NOT NULL,
  event_cursor bigint,                         -- set before COMMIT, in the same transaction
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- Event cursors are handed out from this one row, updated as the last write of a commit and
-- held until COMMIT: cursor order is commit order (a relay never sees cursor n+1 before n)
-- and there are no gaps (a rolled-back commit gives its numbers back).
CREATE TABLE outbox_cursor (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_cursor bigint NOT NULL
);
INSERT INTO outbox_cursor (last_cursor) VALUES (0);

CREATE TABLE outbox (
  cursor       bigint PRIMARY KEY,
  promotion_id text NOT NULL REFERENCES promotions (id),
  event        jsonb NOT NULL,                 -- the PromotionBusEvent, cursor included
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz                     -- null until the relay put it on the bus
);
CREATE INDEX outbox_unpublished ON outbox (cursor) WHERE published_at IS NULL;
