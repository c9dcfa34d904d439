-- Leases of the durable channel dispatcher (subgraphs/promotion/delivery/). A dispatcher claims a
-- due delivery with FOR UPDATE SKIP LOCKED and writes its lease here; only the holder of
-- `lease_token` may record the delivery's outcome. A lease counts only for the delivery it was
-- taken on (`lease_delivery_id`): a newer intent (new delivery_id) is claimable at once.
ALTER TABLE channel_publications
  ADD COLUMN lease_owner       text,           -- dispatcher instance (host:pid:random), for operators
  ADD COLUMN lease_token       text,           -- random per claim; compare-and-set guard
  ADD COLUMN lease_delivery_id text,           -- the delivery the lease was taken on
  ADD COLUMN lease_expires_at  timestamptz;    -- after this, another dispatcher may take over
