-- Exceptions as data (subgraphs/promotion/exceptions/): held activations, dead letters, failed
-- readiness and overdue deliveries, raised and resolved by a sweep over the stored state. At
-- most one open exception per kind, promotion and channel; resolved ones are kept (who resolved
-- it and how, from the audit trail).
CREATE TABLE promotion_exceptions (
  seq          bigserial PRIMARY KEY,          -- raise order: the queue's order and page cursors
  id           text NOT NULL UNIQUE,           -- exc_<hex>
  kind         text NOT NULL,                  -- ACTIVATION_HELD, DEAD_LETTER, ...
  promotion_id text NOT NULL REFERENCES promotions (id),
  channel      text,                           -- null: about the promotion as a whole
  vendor_id    text,                           -- the promotion's vendor (partner confinement)
  severity     text NOT NULL,                  -- WARNING or CRITICAL
  since        timestamptz NOT NULL,           -- when the condition began (or was first seen)
  detail       text NOT NULL,
  raised_at    timestamptz NOT NULL,
  audit_seq    bigint NOT NULL,                -- the promotion's last audit entry when raised
  resolved_at  timestamptz,
  resolved_by  text,                           -- the subject whose action resolved it
  resolution   text                            -- that action (and its reason)
);
CREATE UNIQUE INDEX promotion_exceptions_open
  ON promotion_exceptions (kind, promotion_id, coalesce(channel, '')) WHERE resolved_at IS NULL;
CREATE INDEX promotion_exceptions_promotion ON promotion_exceptions (promotion_id, seq);
CREATE INDEX promotion_exceptions_vendor ON promotion_exceptions (vendor_id, seq)
  WHERE vendor_id IS NOT NULL;
