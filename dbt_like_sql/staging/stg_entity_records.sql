-- staging.stg_entity_records: one row per record that names a company — every public mention and
-- every row of the bank's internal feeds — the input of entity resolution (warehouse/resolve).
-- The registry (工商登记, the licensed extract) enters as authority: its row under its current name,
-- and one record per former name (曾用名, source feed:registry:former) carrying the same USCC, so
-- resolution puts a mention of the old name with the renamed company. A former name without a
-- valid USCC would form a company of its own, so such rows give no former-name records.
CREATE OR REPLACE TABLE staging.stg_entity_records AS
WITH public_mentions AS (
    SELECT mention_id AS record_id, source_id, source_kind, name, uscc, address,
           coalesce(district, region) AS region_hint
    FROM staging.stg_mentions
),
payroll_employers AS (
    SELECT record_id, 'feed:payroll' AS source_id, 'internal' AS source_kind, employer_name AS name,
           uscc, NULL AS address, NULL AS region_hint
    FROM raw.feed_payroll
),
pos_merchants AS (
    SELECT record_id, 'feed:pos', 'internal', coalesce(nullif(trim(company_name), ''), merchant_name),
           uscc, NULL, NULL
    FROM raw.feed_pos
),
transaction_counterparties AS (
    SELECT record_id, 'feed:counterparties', 'internal', counterparty_name, NULL, NULL, NULL
    FROM raw.feed_counterparties
),
credit_customers AS (
    SELECT record_id, 'feed:credit_customers', 'internal', customer_name, uscc, NULL, NULL
    FROM raw.feed_credit_customers
),
open_applications AS (
    SELECT record_id, 'feed:open_applications', 'internal', customer_name, uscc, NULL, NULL
    FROM raw.feed_open_applications
),
risk_declines AS (
    SELECT record_id, 'feed:risk_declines', 'internal', customer_name, uscc, NULL, NULL
    FROM raw.feed_risk_declines
),
do_not_contact AS (
    SELECT record_id, 'feed:do_not_contact', 'internal', customer_name, uscc, NULL, NULL
    FROM raw.feed_do_not_contact
),
tax_credit_taxpayers AS (
    SELECT record_id, 'feed:tax_credit', 'internal', taxpayer_name, uscc, NULL, NULL
    FROM raw.feed_tax_credit
),
company_owners AS (
    SELECT record_id, 'feed:owners', 'internal', company_name, uscc, NULL, NULL
    FROM raw.feed_owners
),
partner_referrals AS (
    SELECT record_id, 'feed:partner_referrals', 'internal', company_name, uscc, NULL, NULL
    FROM raw.feed_partner_referrals
),
registry_companies AS (
    SELECT record_id, 'feed:registry', 'internal', company_name, uscc, NULL, NULL
    FROM raw.feed_registry
),
registry_former_names AS (
    -- one struct per former name (not unnest beside generate_subscripts: Spark runs it too)
    SELECT record_id || '~former-' || CAST(f.former_number AS VARCHAR), 'feed:registry:former', 'internal', f.name,
           uscc, NULL, NULL
    FROM (
        SELECT record_id, uscc,
               unnest(list_transform(former_names, lambda x, i: {'name': x, 'former_number': i})) AS f
        FROM raw.feed_registry
        WHERE uscc IS NOT NULL AND former_names IS NOT NULL
    )
    WHERE f.name <> ''
),
all_records AS (
    SELECT * FROM public_mentions
    UNION ALL SELECT * FROM payroll_employers
    UNION ALL SELECT * FROM pos_merchants
    UNION ALL SELECT * FROM transaction_counterparties
    UNION ALL SELECT * FROM credit_customers
    UNION ALL SELECT * FROM open_applications
    UNION ALL SELECT * FROM risk_declines
    UNION ALL SELECT * FROM do_not_contact
    UNION ALL SELECT * FROM tax_credit_taxpayers
    UNION ALL SELECT * FROM company_owners
    UNION ALL SELECT * FROM partner_referrals
    UNION ALL SELECT * FROM registry_companies
    UNION ALL SELECT * FROM registry_former_names
)
SELECT record_id, source_id, source_kind, trim(name) AS name, nullif(trim(uscc), '') AS uscc,
       address, region_hint
FROM all_records
WHERE nullif(trim(name), '') IS NOT NULL;
