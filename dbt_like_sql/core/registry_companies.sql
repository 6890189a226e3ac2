-- core.registry_companies: one row per company the registry names (工商登记, the licensed extract:
-- feed `registry`) — its row of the latest export, the latest annual report first when the export
-- holds several rows for it — tied to its company_id. What the registry says of a company today:
-- status, founding date, enterprise type, industry, the 年报's figures (docs/sizing.md).
CREATE OR REPLACE TABLE core.registry_companies AS
SELECT l.company_id, f.*
FROM raw.feed_registry AS f
JOIN core.entity_links AS l ON l.record_id = f.record_id
QUALIFY row_number() OVER (
    PARTITION BY l.company_id ORDER BY f.feed_date DESC, f.feed_file DESC, f.report_year DESC NULLS LAST, f.row_number
) = 1;
