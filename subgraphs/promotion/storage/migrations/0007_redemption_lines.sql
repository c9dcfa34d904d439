-- Sales lines channels report for promotions (redemptions/): one row per channel, transaction
-- and line number, so a replayed or duplicated feed inserts nothing. A return is a line with a
-- negative quantity and discount. Amounts are in the promotion's currency, to the cent.
CREATE TABLE redemption_lines (
  channel        text NOT NULL,
  transaction_id text NOT NULL,
  line_number    integer NOT NULL,
  promotion_id   text NOT NULL REFERENCES promotions (id),
  sku            text NOT NULL,
  location_id    text NOT NULL,
  quantity       numeric(15, 3) NOT NULL,
  discount       numeric(15, 2) NOT NULL,
  currency       text NOT NULL,
  sold_at        timestamptz NOT NULL,
  received_at    timestamptz NOT NULL,
  recorded_by    text NOT NULL,
  PRIMARY KEY (channel, transaction_id, line_number)
);
CREATE INDEX redemption_lines_promotion ON redemption_lines (promotion_id, sold_at);
