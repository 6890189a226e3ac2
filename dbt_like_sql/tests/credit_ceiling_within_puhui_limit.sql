-- asset: marts.prospects_ranked
-- blocking: true
-- A 普惠 prospect's credit ceiling never exceeds 单户授信 1,000 万元 (ref.scoring_sizing), and a firm
-- outside 普惠 (medium, large) has none.
SELECT p.company_id, p.branch, p.size_segment, p.puhui_eligible, p.credit_ceiling_yuan
FROM marts.prospects_ranked AS p
CROSS JOIN ref.scoring_sizing AS g
WHERE (p.puhui_eligible AND (p.credit_ceiling_yuan IS NULL OR p.credit_ceiling_yuan > g.max_credit_per_borrower_yuan
                             OR p.credit_ceiling_yuan < 0))
   OR (NOT p.puhui_eligible AND p.credit_ceiling_yuan IS NOT NULL)
