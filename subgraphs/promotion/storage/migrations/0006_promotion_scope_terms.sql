-- The category, brand and product-hierarchy terms each promotion's scope includes
-- (model/scope-terms.ts: 'category:<id>', 'brand:<id>', 'node:<id>'), so eligibility finds the
-- promotions covering a SKU from the SKU's product facts with an index lookup, not a scan.
-- Exclusions are not indexed: they only narrow a promotion found some other way.
CREATE TABLE promotion_scope_terms (
  term         text NOT NULL,
  promotion_id text NOT NULL REFERENCES promotions (id),
  PRIMARY KEY (term, promotion_id)
);
CREATE INDEX promotion_scope_terms_promotion ON promotion_scope_terms (promotion_id);

INSERT INTO promotion_scope_terms (term, promotion_id)
SELECT DISTINCT 'category:' || c, p.id
  FROM promotions p, jsonb_array_elements_text(p.record->'scope'->'categoryIds') AS c
UNION
SELECT DISTINCT 'brand:' || b, p.id
  FROM promotions p, jsonb_array_elements_text(p.record->'scope'->'brandIds') AS b;
