-- Activation consistency (subgraphs/promotion/activation/). `acknowledged_intent` is what the
-- channel last confirmed (the payload intent of its last acknowledged delivery), so a new
-- version in flight does not hide that the channel shows the promotion live. `held` marks a
-- delivery that tells the channel SUSPENDED on an ALL_OR_NONE promotion's behalf while the
-- requested `intent` stays (staged or compensating); a LIVE delivery releases it.
ALTER TABLE channel_publications
  ADD COLUMN acknowledged_intent text,
  ADD COLUMN held boolean NOT NULL DEFAULT false;

UPDATE channel_publications SET acknowledged_intent = intent WHERE status = 'ACKNOWLEDGED';

-- The activation monitor's candidates: targeted channels not (yet) confirmed live.
CREATE INDEX channel_publications_unconfirmed ON channel_publications (promotion_id)
  WHERE intent = 'LIVE' AND (held OR acknowledged_intent IS DISTINCT FROM 'LIVE');

-- Promotions held back by the activation monitor (record->'activationHold' set).
CREATE INDEX promotions_activation_held ON promotions (id)
  WHERE jsonb_typeof(record->'activationHold') = 'object';
