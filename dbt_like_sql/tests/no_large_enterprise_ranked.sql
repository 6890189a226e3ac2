-- asset: marts.prospects_ranked
-- blocking: true
-- No company with large-enterprise evidence (a listed company, a 央企 or provincial SOE or one of
-- their subsidiaries or branches, a registry type of a listed company, or figures the size standard
-- classes large) is on a 普惠 list: it is excluded with its reason (docs/sizing.md).
SELECT p.company_id, p.branch, p.rank, p.name, p.size_class, p.exclusion_reason
FROM marts.prospects_ranked AS p
WHERE p.rank IS NOT NULL
  AND (p.size_class = 'large'
       OR EXISTS (SELECT 1 FROM core.company_signals AS s
                  WHERE s.company_id = p.company_id AND s.signal = 'large_enterprise'))
