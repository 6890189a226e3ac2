-- marts.company_segments: one row per company some signal names: its company_key (a 64-bit
-- hash of company_id; collisions fail the test company_key_unique), its segment (credit customer /
-- other existing customer / new to bank, after ref.scoring_segments), whether it has an active
-- negative signal (risk or exclusion, not lifted), and its fitting products, best fit first, with
-- the product → fit (0–100) map. Fit = 100 × the best weight × decay among the product's signal
-- rows (ref.scoring_products), kept when at least the product's min_fit, the company has none of
-- the product's blocking (`unless`) signals, its size segment is one the product is for (`sizes`:
-- 个体工商户 → 个体经营贷, micro → 小微快贷 …; core.company_size) and, when the product asks
-- 持续经营满N年 (`min_years_in_business`), the registry does not show it founded more recently.
-- A company whose only signals are profile facts (a 声明函, a large-enterprise list, a registry
-- status: ref.scoring_signals kind profile) is no prospect and has no row.
SET preserve_insertion_order = false;
CREATE OR REPLACE TABLE marts.company_segments AS
WITH signal_roles AS (
    -- one small integer of flags per signal: 1 credit, 2 existing customer, 4 negative, 8 more than a
    -- profile fact
    SELECT s.signal,
           max(CASE WHEN g.segment_role = 'credit' THEN 1 ELSE 0 END)
           | max(CASE WHEN g.segment_role = 'existing' THEN 2 ELSE 0 END)
           | max(CASE WHEN s.negative THEN 4 ELSE 0 END)
           | max(CASE WHEN s.kind <> 'profile' THEN 8 ELSE 0 END) AS flag
    FROM ref.scoring_signals AS s
    LEFT JOIN ref.scoring_segments AS g USING (signal)
    GROUP BY s.signal
),
companies AS (
    SELECT hash(c.company_id) AS company_key, any_value(c.company_id) AS company_id,
           bit_or(CASE WHEN coalesce(c.value, '') = 'lifted' THEN coalesce(r.flag, 0) & 3
                       ELSE coalesce(r.flag, 0) END) AS flags
    FROM core.company_signals AS c
    LEFT JOIN signal_roles AS r USING (signal)
    GROUP BY company_key
    HAVING bit_or(coalesce(r.flag, 8)) & 8 <> 0
),
company_sizes AS (
    SELECT hash(company_id) AS company_key, size_segment, established_on FROM core.company_size
),
product_rules AS (
    SELECT product, any_value(sizes) AS sizes, any_value(min_years_in_business) AS min_years_in_business
    FROM ref.scoring_products
    GROUP BY product
),
fits AS (
    SELECT f.company_key, f.product, CAST(round(f.raw_fit) AS INTEGER) AS fit
    FROM (
        SELECT hash(c.company_id) AS company_key, p.product, any_value(p.min_fit) AS min_fit,
               max(100 * p.weight * CASE WHEN p.half_life_days IS NULL OR c.observed_at IS NULL THEN 1.0
                   ELSE pow(0.5, greatest(0, date_diff('day', c.observed_at, a.as_of)) / p.half_life_days) END) AS raw_fit
        FROM core.company_signals AS c
        JOIN ref.scoring_products AS p ON p.signal = c.signal AND NOT p.blocks
        CROSS JOIN ref.scoring_settings AS a
        GROUP BY company_key, p.product
    ) AS f
    JOIN product_rules AS r ON r.product = f.product
    LEFT JOIN company_sizes AS z ON z.company_key = f.company_key
    CROSS JOIN ref.scoring_settings AS a
    WHERE f.raw_fit >= f.min_fit
      -- the product is for the company's size segment (unknown without a core.company_size row), and
      -- the company has been in business long enough when the product asks it (持续经营满N年)
      AND list_contains(r.sizes, coalesce(z.size_segment, 'unknown'))
      AND (r.min_years_in_business IS NULL OR z.established_on IS NULL
           OR z.established_on <= a.as_of - to_days(CAST(round(r.min_years_in_business * 365.25) AS INTEGER)))
      AND NOT EXISTS (
          SELECT 1 FROM core.company_signals AS b
          JOIN ref.scoring_products AS p ON p.signal = b.signal AND p.blocks
          WHERE p.product = f.product AND hash(b.company_id) = f.company_key)
),
fit_lists AS (
    SELECT company_key,
           list(product ORDER BY fit DESC, product) AS products,
           map(list(product ORDER BY product), list(fit ORDER BY product))::MAP(VARCHAR, INTEGER) AS product_fit
    FROM fits
    GROUP BY company_key
)
SELECT
    c.company_id,
    CASE WHEN c.flags & 1 <> 0 THEN 'existing_credit'
         WHEN c.flags & 2 <> 0 THEN 'existing_no_credit'
         ELSE 'new_to_bank' END AS segment,
    c.flags & 4 <> 0 AS has_active_negative,
    c.company_key,
    coalesce(f.products, []::VARCHAR[]) AS products,
    coalesce(f.product_fit, MAP {}::MAP(VARCHAR, INTEGER)) AS product_fit
FROM companies AS c
LEFT JOIN fit_lists AS f USING (company_key);
