-- ref.wan_text(yuan): an amount in yuan as 万元 the way size reasons write it — thousands grouped,
-- at most two decimals, trailing zeros dropped: 12000000 → '1,200', 312000 → '31.2',
-- 123456789 → '12,345.68'. Rounded half up in whole hundreds of yuan first (as ref.fill_reason), so
-- no half-way double is left to printf; the grouping is printf's ',' flag, which both engines have.
CREATE OR REPLACE MACRO ref.wan_text(yuan) AS (
    printf('%,d', CAST(floor(round(CAST(yuan AS DOUBLE) / 100.0) / 100.0) AS BIGINT))
    || CASE WHEN CAST(round(CAST(yuan AS DOUBLE) / 100.0) AS BIGINT) % 100 = 0 THEN ''
            WHEN CAST(round(CAST(yuan AS DOUBLE) / 100.0) AS BIGINT) % 10 = 0
                THEN '.' || CAST(CAST(round(CAST(yuan AS DOUBLE) / 100.0) AS BIGINT) % 100 / 10 AS BIGINT)
            ELSE '.' || printf('%02d', CAST(round(CAST(yuan AS DOUBLE) / 100.0) AS BIGINT) % 100)
       END
);
