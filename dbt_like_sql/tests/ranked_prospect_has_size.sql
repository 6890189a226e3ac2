-- asset: marts.prospects_ranked
-- blocking: true
-- Every ranked prospect has a size class and a reason that names its evidence, or 规模待核实 with
-- what there is (docs/sizing.md).
SELECT company_id, branch, rank, size_class, size_reason
FROM marts.prospects_ranked
WHERE rank IS NOT NULL
  AND (size_class IS NULL OR nullif(trim(size_reason), '') IS NULL
       OR (size_class = 'unknown' AND size_reason NOT LIKE '规模待核实（%'))
