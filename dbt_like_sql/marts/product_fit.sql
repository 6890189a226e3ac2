-- marts.product_fit: one row per (company, fitting product) with the fit 0–100, read off
-- marts.company_segments (fits under a product's min_fit are not listed).
CREATE OR REPLACE TABLE marts.product_fit AS
SELECT company_id, unnest(map_keys(product_fit)) AS product, unnest(map_values(product_fit)) AS fit
FROM marts.company_segments;
