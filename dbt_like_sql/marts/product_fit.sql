-- marts.product_fit: one row per (company, fitting product) with the fit 0–100, read off
-- marts.company_segments (fits under a product's min_fit are not listed).
CREATE OR REPLACE TABLE marts.product_fit AS
-- (one unnest of the entries, not two side by side: Spark would cross two generators)
SELECT company_id, e.key AS product, e.value AS fit
FROM (SELECT company_id, unnest(map_entries(product_fit)) AS e FROM marts.company_segments);
