-- Retry schedule of the durable channel dispatcher (subgraphs/promotion/delivery/, policies/
-- delivery.yaml). A delivery's schedule starts when a dispatcher first takes it up (claims it,
-- or finds it waiting behind an open circuit): `give_up_at` is its horizon (schedule start + the
-- channel's giveUpAfter, never past the promotion's end), after which it is dead-lettered. Like
-- the lease, the schedule counts only for the delivery it was started on
-- (`schedule_delivery_id`): a newer intent or a redrive (new delivery_id) starts a fresh one.
ALTER TABLE channel_publications
  ADD COLUMN schedule_delivery_id text,        -- the delivery the schedule was started on
  ADD COLUMN schedule_started_at  timestamptz, -- when (the delivery SLO counts from here too)
  ADD COLUMN give_up_at           timestamptz; -- no attempt after this: dead letter

-- Each channel is claimed on its own (one lane per channel).
CREATE INDEX channel_publications_channel_due ON channel_publications (channel, next_attempt_at)
  WHERE status IN ('PENDING', 'SENT', 'FAILED');
