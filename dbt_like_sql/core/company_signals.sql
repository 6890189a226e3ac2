-- core.company_signals: one row per piece of evidence about a company — a public mention (a win,
-- a 专精特新 listing, a negative-list entry…) or a row of one of the bank's internal feeds (a
-- payroll employer, a POS merchant, a counterparty of our customers or of a core enterprise, a
-- credit customer, a bank state such as an open application), or a fact of who it is (a
-- 中小企业声明函, a large-enterprise list, a 吊销/注销 or new registry entry) — tied to its company_id. `value`
-- is the signal's main fact (project, tier, status active/lifted, headcount…), `amount` its amount in yuan,
-- `observed_at` its date, `evidence_id` the mention_id or feed record_id it came from; `signal_id`
-- numbers the rows of one build.
CREATE OR REPLACE TABLE core.company_signals AS
WITH public_evidence AS (
    SELECT
        m.company_id,
        CASE
            WHEN m.penalty_type = '失信被执行人' THEN 'dishonest_debtor'
            WHEN m.penalty_type = '限制高消费' THEN 'consumption_restricted'
            WHEN m.penalty_type = '严重违法失信' THEN 'serious_violation'
            WHEN m.penalty_type = '经营异常' THEN 'abnormal_operation'
            WHEN m.penalty_type = '行政处罚' THEN 'administrative_penalty'
            WHEN m.role = 'penalized' THEN 'administrative_penalty'
            WHEN m.role = 'winner' THEN 'procurement_win'
            WHEN m.role = 'declarant' THEN 'declared_size'
            WHEN m.role = 'candidate' THEN 'tender_candidate'
            WHEN m.role = 'bidder' THEN 'procurement_bid'
            -- a listed-company list says what it is in its name: 纳税信用A级 / 高新技术企业 / 科技型中小企业,
            -- a 科技保险 / 贷款保证保险 programme, a financing-guarantee company's 白名单 / 推荐名单
            WHEN m.role = 'listed' AND (coalesce(m.list_name, m.notice_title, '') LIKE '%科技保险%'
                                        OR coalesce(m.list_name, m.notice_title, '') LIKE '%保证保险%')
                THEN 'insurance_backed'
            WHEN m.role = 'listed' AND coalesce(m.list_name, m.notice_title, '') LIKE '%担保%'
                 AND (coalesce(m.list_name, m.notice_title, '') LIKE '%白名单%'
                      OR coalesce(m.list_name, m.notice_title, '') LIKE '%推荐%')
                THEN 'guarantee_partner'
            WHEN m.role = 'listed' AND coalesce(m.list_name, m.notice_title, '') LIKE '%纳税信用%' THEN 'tax_credit_a'
            WHEN m.role = 'listed' AND (coalesce(m.list_name, m.notice_title, '') LIKE '%高新技术企业%'
                                        OR coalesce(m.list_name, m.notice_title, '') LIKE '%科技型中小企业%')
                THEN 'high_tech_listed'
            WHEN m.role = 'listed' AND m.source_kind = 'srdi_list' THEN 'srdi_listed'
            WHEN m.role = 'merchant' THEN 'market_merchant'
            WHEN m.role = 'member' THEN 'association_member'
            WHEN m.role = 'tenant' THEN 'park_tenant'
        END AS signal,
        m.*
    FROM core.company_mentions AS m
    WHERE m.company_id IS NOT NULL
),
procurement_signals AS (
    SELECT
        company_id, signal,
        CASE
            WHEN purchaser_name IS NULL OR coalesce(project_name, notice_title, '') LIKE '%' || purchaser_name || '%'
                THEN coalesce(project_name, notice_title)
            ELSE purchaser_name || ' ' || coalesce(project_name, notice_title, '')
        END AS value,
        amount_yuan AS amount,
        coalesce(published_at, CAST(fetched_at AS DATE)) AS observed_at,
        source_id, url,
        purchaser_name AS detail,
        notice_title AS list_name,
        mention_id AS evidence_id
    FROM public_evidence
    WHERE signal IN ('procurement_win', 'tender_candidate', 'procurement_bid')
    -- one award published by two platforms counts once
    QUALIFY row_number() OVER (
        PARTITION BY company_id, signal, coalesce(project_code, project_name, notice_title, url), coalesce(lot, '')
        ORDER BY published_at NULLS LAST, url, amount_yuan DESC NULLS LAST, mention_id
    ) = 1
),
listing_signals AS (
    SELECT
        company_id, signal,
        CASE
            WHEN signal <> 'srdi_listed' THEN tier
            WHEN coalesce(list_name, '') || coalesce(tier, '') LIKE '%小巨人%' THEN '国家级专精特新"小巨人"'
            WHEN coalesce(list_name, '') || coalesce(tier, '') LIKE '%创新型%' THEN '创新型中小企业'
            WHEN coalesce(tier, '') LIKE '%国家%' OR coalesce(list_name, '') LIKE '%国家%' THEN '国家级专精特新'
            WHEN coalesce(tier, '') LIKE '%省%' OR coalesce(list_name, '') LIKE '%省%' THEN '省级专精特新'
            WHEN coalesce(tier, '') LIKE '%市%' OR coalesce(list_name, '') LIKE '%市%' THEN '市级专精特新'
            ELSE '专精特新'
        END AS value,
        amount_yuan AS amount,
        coalesce(published_at, CAST(fetched_at AS DATE)) AS observed_at,
        source_id, url,
        tier AS detail,
        coalesce(list_name, notice_title, source_id) AS list_name,
        mention_id AS evidence_id
    FROM public_evidence
    WHERE signal IN ('srdi_listed', 'association_member', 'park_tenant')
),
register_signals AS (
    -- public registers: 纳税信用A级 (value = the rated year, detail = the tax office), 高新技术企业 /
    -- 科技型中小企业 (value = the list's year and kind), a 专业市场 merchant (list = the market)
    SELECT
        company_id, signal,
        CASE
            WHEN signal = 'tax_credit_a' THEN nullif(regexp_extract(coalesce(list_name, notice_title, ''), '((19|20)[0-9][0-9]) *年', 1), '')
            WHEN signal = 'high_tech_listed' THEN
                concat_ws(' ', nullif(regexp_extract(coalesce(list_name, notice_title, ''), '((19|20)[0-9][0-9]) *年', 1), ''),
                          CASE WHEN coalesce(list_name, notice_title, '') LIKE '%高新技术企业%' THEN '高新技术企业'
                               ELSE '科技型中小企业' END)
            ELSE coalesce(industry, tier)
        END AS value,
        amount_yuan AS amount,
        coalesce(published_at, CAST(fetched_at AS DATE)) AS observed_at,
        source_id, url,
        coalesce(authority, tier) AS detail,
        coalesce(list_name, notice_title, source_id) AS list_name,
        mention_id AS evidence_id
    FROM public_evidence
    WHERE signal IN ('tax_credit_a', 'high_tech_listed', 'market_merchant')
),
public_partner_lists AS (
    -- 银担 / 银保合作 from a public list: valid for a year from its publication (the programme year)
    SELECT
        e.company_id, e.signal,
        CASE WHEN e.observed_at + INTERVAL 365 DAY < a.as_of THEN 'expired' ELSE 'active' END AS value,
        e.amount_yuan AS amount,
        e.observed_at,
        e.source_id, e.url,
        strftime(e.observed_at + INTERVAL 365 DAY, '%Y-%m-%d') AS detail,
        coalesce(e.list_name, e.notice_title, e.source_id) AS list_name,
        e.mention_id AS evidence_id
    FROM (SELECT *, coalesce(published_at, CAST(fetched_at AS DATE)) AS observed_at FROM public_evidence
          WHERE signal IN ('insurance_backed', 'guarantee_partner')) AS e
    CROSS JOIN ref.scoring_settings AS a
),
negative_list_signals AS (
    SELECT
        company_id, signal,
        coalesce(status, 'active') AS value,
        amount_yuan AS amount,
        coalesce(published_at, CAST(fetched_at AS DATE)) AS observed_at,
        source_id, url,
        coalesce(reason, penalty_type) AS detail,
        coalesce(list_name, authority, notice_title, source_id) AS list_name,
        mention_id AS evidence_id
    FROM public_evidence
    WHERE signal IN ('dishonest_debtor', 'consumption_restricted', 'serious_violation', 'abnormal_operation',
                     'administrative_penalty')
),
public_signals_deduplicated AS (
    SELECT * FROM procurement_signals
    UNION ALL
    SELECT * FROM (
        SELECT * FROM listing_signals
        UNION ALL
        SELECT * FROM register_signals
        UNION ALL
        SELECT * FROM public_partner_lists
        UNION ALL
        SELECT * FROM negative_list_signals
    )
    -- the same list entry reached through two sources counts once
    QUALIFY row_number() OVER (
        PARTITION BY company_id, signal, list_name, coalesce(value, ''), coalesce(detail, ''), observed_at
        ORDER BY url, evidence_id
    ) = 1
),
payroll_employers AS (
    SELECT l.company_id AS company_id,
           'payroll_employer' AS signal,
           CAST(f.headcount AS VARCHAR) AS value,
           f.monthly_payroll_yuan AS amount,
           f.feed_date AS observed_at,
           'feed:payroll' AS source_id,
           NULL AS url,
           CAST(f.months_active AS VARCHAR) AS detail,
           f.branch AS list_name,
           f.record_id AS evidence_id
    FROM raw.feed_payroll AS f
    JOIN core.entity_links AS l ON l.record_id = f.record_id
    -- payroll is a snapshot: only each employer's latest export counts
    QUALIFY dense_rank() OVER (PARTITION BY l.company_id ORDER BY f.feed_date DESC, f.feed_file DESC) = 1
),
pos_merchants AS (
    SELECT l.company_id AS company_id,
           'pos_merchant' AS signal,
           CAST(f.terminals AS VARCHAR) AS value,
           f.monthly_volume_yuan AS amount,
           f.feed_date AS observed_at,
           'feed:pos' AS source_id,
           NULL AS url,
           f.mcc AS detail,
           f.branch AS list_name,
           f.record_id AS evidence_id
    FROM raw.feed_pos AS f
    JOIN core.entity_links AS l ON l.record_id = f.record_id
    QUALIFY dense_rank() OVER (PARTITION BY l.company_id ORDER BY f.feed_date DESC, f.feed_file DESC) = 1
),
counterparties_of_customers AS (
    SELECT l.company_id AS company_id,
           'counterparty_of_customers' AS signal,
           CAST(f.our_customers AS VARCHAR) AS value,
           coalesce(f.inflow_yuan, 0) + coalesce(f.outflow_yuan, 0) AS amount,
           coalesce(f.month, f.feed_date) AS observed_at,
           'feed:counterparties' AS source_id,
           NULL AS url,
           f.counterparty_bank AS detail,
           NULL AS list_name,
           f.record_id AS evidence_id
    FROM raw.feed_counterparties AS f
    JOIN core.entity_links AS l ON l.record_id = f.record_id
),
core_enterprise_rows AS (
    -- 交易流水获客: counterparties of a core enterprise a branch follows (ref.core_enterprises, from
    -- territories.yaml), matched on the feed's optional customer column. The match is exact after
    -- NFKC (the loader's) and without spaces: a near miss would credit a supply chain to the wrong
    -- firm, and a row without the column (older exports) matches nothing. A core enterprise paying
    -- itself (transfers between its own accounts) is no supplier. Per counterparty, core enterprise
    -- and month only the latest file that reports the month counts, so a re-export is not summed.
    SELECT l.company_id, ce.name AS core_name, ce.branch, f.record_id,
           coalesce(f.month, f.feed_date) AS month_of,
           f.outflow_yuan, f.inflow_yuan
    FROM raw.feed_counterparties AS f
    JOIN ref.core_enterprises AS ce ON ce.match_key = replace(f.customer_name, ' ', '')
    JOIN core.entity_links AS l ON l.record_id = f.record_id
    WHERE replace(f.counterparty_name, ' ', '') <> ce.match_key
    QUALIFY dense_rank() OVER (
        PARTITION BY l.company_id, ce.name, coalesce(f.month, f.feed_date) ORDER BY f.feed_date DESC, f.feed_file DESC
    ) = 1
),
core_enterprise_months AS (
    -- amounts are seen from the core enterprise's account: its outflow paid the counterparty (a
    -- supplier, upstream), its inflow came from it (a buyer or distributor, downstream); one amount
    -- per direction and month (two accounts of the core enterprise add up)
    SELECT company_id, core_name, branch, signal, month_of, sum(amount) AS amount, max(record_id) AS evidence_id
    FROM (
        SELECT company_id, core_name, branch, 'core_enterprise_supplier' AS signal, month_of,
               outflow_yuan AS amount, record_id
        FROM core_enterprise_rows WHERE outflow_yuan > 0
        UNION ALL
        SELECT company_id, core_name, branch, 'core_enterprise_distributor' AS signal, month_of,
               inflow_yuan AS amount, record_id
        FROM core_enterprise_rows WHERE inflow_yuan > 0
    ) AS flows
    GROUP BY company_id, core_name, branch, signal, month_of
),
core_enterprise_chain AS (
    -- one signal per counterparty, core enterprise and direction: value = the core enterprise,
    -- amount = its monthly average, detail = the months seen, dated by the latest month
    SELECT company_id, signal,
           core_name AS value,
           avg(amount) OVER (PARTITION BY company_id, core_name, signal) AS amount,
           month_of AS observed_at,
           'feed:counterparties' AS source_id,
           NULL AS url,
           CAST(count(*) OVER (PARTITION BY company_id, core_name, signal) AS VARCHAR) AS detail,
           branch AS list_name,
           evidence_id
    FROM core_enterprise_months
    QUALIFY row_number() OVER (PARTITION BY company_id, core_name, signal ORDER BY month_of DESC, evidence_id DESC) = 1
),
credit_customers AS (
    SELECT l.company_id AS company_id,
           'credit_customer' AS signal,
           f.product AS value,
           f.balance_yuan AS amount,
           f.feed_date AS observed_at,
           'feed:credit_customers' AS source_id,
           NULL AS url,
           CASE WHEN f.overdue THEN 'overdue' ELSE 'current' END AS detail,
           NULL AS list_name,
           f.record_id AS evidence_id
    FROM raw.feed_credit_customers AS f
    JOIN core.entity_links AS l ON l.record_id = f.record_id
    QUALIFY dense_rank() OVER (PARTITION BY l.company_id ORDER BY f.feed_date DESC, f.feed_file DESC) = 1
),
overdue_credit AS (
    SELECT company_id, 'credit_overdue' AS signal, value, amount, observed_at, source_id, url, detail, list_name, evidence_id
    FROM credit_customers
    WHERE detail = 'overdue'
),
open_applications AS (
    SELECT l.company_id AS company_id,
           'open_application' AS signal,
           f.product AS value,
           NULL::DOUBLE AS amount,
           f.applied_at AS observed_at,
           'feed:open_applications' AS source_id,
           NULL AS url,
           NULL AS detail,
           NULL AS list_name,
           f.record_id AS evidence_id
    FROM raw.feed_open_applications AS f
    JOIN core.entity_links AS l ON l.record_id = f.record_id
),
risk_declines AS (
    SELECT l.company_id AS company_id,
           'risk_decline' AS signal,
           f.reason AS value,
           NULL::DOUBLE AS amount,
           f.declined_at AS observed_at,
           'feed:risk_declines' AS source_id,
           NULL AS url,
           NULL AS detail,
           NULL AS list_name,
           f.record_id AS evidence_id
    FROM raw.feed_risk_declines AS f
    JOIN core.entity_links AS l ON l.record_id = f.record_id
),
do_not_contact AS (
    SELECT l.company_id AS company_id,
           'do_not_contact' AS signal,
           f.reason AS value,
           NULL::DOUBLE AS amount,
           coalesce(f.registered_at, f.feed_date) AS observed_at,
           'feed:do_not_contact' AS source_id,
           NULL AS url,
           NULL AS detail,
           NULL AS list_name,
           f.record_id AS evidence_id
    FROM raw.feed_do_not_contact AS f
    JOIN core.entity_links AS l ON l.record_id = f.record_id
),
tax_credit_a AS (
    -- 纳税信用A级 (银税互动): only a company's latest listed year counts; a year's results are
    -- published in the spring of the next, so that is when the bank could know
    SELECT l.company_id AS company_id,
           'tax_credit_a' AS signal,
           CAST(f.year AS VARCHAR) AS value,
           NULL::DOUBLE AS amount,
           make_date(f.year + 1, 4, 1) AS observed_at,
           'feed:tax_credit' AS source_id,
           NULL AS url,
           coalesce(nullif(trim(f.credit_level), ''), 'A') AS detail,
           f.authority AS list_name,
           f.record_id AS evidence_id
    FROM raw.feed_tax_credit AS f
    JOIN core.entity_links AS l ON l.record_id = f.record_id
    WHERE f.year BETWEEN 2000 AND 2100
      AND coalesce(upper(replace(trim(f.credit_level), '级', '')), 'A') = 'A'
    QUALIFY row_number() OVER (PARTITION BY l.company_id ORDER BY f.year DESC, f.record_id) = 1
),
owners_latest AS (
    -- the owners feed's latest export per company: what the bank says of the owner today
    SELECT l.company_id, f.*
    FROM raw.feed_owners AS f
    JOIN core.entity_links AS l ON l.record_id = f.record_id
    QUALIFY dense_rank() OVER (PARTITION BY l.company_id ORDER BY f.feed_date DESC, f.feed_file DESC) = 1
),
owner_relationships AS (
    -- 企业主素质: the owner's own relationship with the bank; a delinquent owner is a risk, not a
    -- good customer
    SELECT f.company_id,
           CASE WHEN f.delinquent THEN 'owner_delinquent' ELSE 'owner_good_customer' END AS signal,
           CASE WHEN f.delinquent THEN '个人贷款逾期'
                ELSE nullif(concat_ws('、',
                    CASE WHEN nullif(trim(f.aum_tier), '') IS NOT NULL THEN '私行客户 ' || trim(f.aum_tier) END,
                    CASE WHEN f.has_mortgage THEN '我行按揭' END,
                    CASE WHEN f.has_card THEN '我行信用卡' END), '')
           END AS value,
           NULL::DOUBLE AS amount,
           f.feed_date AS observed_at,
           'feed:owners' AS source_id,
           NULL AS url,
           NULL AS detail,
           NULL AS list_name,
           f.record_id AS evidence_id
    FROM owners_latest AS f
    WHERE f.delinquent OR nullif(trim(f.aum_tier), '') IS NOT NULL OR f.has_mortgage OR f.has_card
),
owner_negative_lists AS (
    -- an active 失信被执行人 / 限制高消费 entry whose 法定代表人 bears the name the owners feed gives
    -- the same company's owner (both keyed hashes, warehouse/pii.py): a person matched by name plus
    -- company, weaker than an ID number, so the reason says so and it is a risk, never an exclusion
    SELECT e.company_id,
           'owner_listed_negative' AS signal,
           e.penalty_type AS value,
           NULL::DOUBLE AS amount,
           coalesce(e.published_at, CAST(e.fetched_at AS DATE)) AS observed_at,
           e.source_id, e.url,
           '按姓名+企业匹配' AS detail,
           coalesce(e.list_name, e.authority, e.notice_title, e.source_id) AS list_name,
           e.mention_id AS evidence_id
    FROM public_evidence AS e
    JOIN owners_latest AS o ON o.company_id = e.company_id AND o.owner_name_hash = e.legal_rep_hash
    WHERE e.signal IN ('dishonest_debtor', 'consumption_restricted') AND coalesce(e.status, 'active') = 'active'
    -- one per company and list kind: the same entry on two portals is one fact about the owner
    QUALIFY row_number() OVER (
        PARTITION BY e.company_id, e.penalty_type ORDER BY e.published_at DESC NULLS LAST, e.url, e.mention_id
    ) = 1
),
partner_referrals AS (
    -- 银担合作 / 银保合作: a guarantee company's or an insurer's referral, active until it expires
    SELECT l.company_id AS company_id,
           CASE WHEN f.partner_type LIKE '%保%' AND f.partner_type NOT LIKE '%担保%' THEN 'insurance_backed'
                ELSE 'guarantee_partner' END AS signal,
           CASE WHEN f.expires_at < a.as_of THEN 'expired' ELSE 'active' END AS value,
           NULL::DOUBLE AS amount,
           coalesce(f.referred_at, f.feed_date) AS observed_at,
           'feed:partner_referrals' AS source_id,
           NULL AS url,
           strftime(f.expires_at, '%Y-%m-%d') AS detail,
           f.partner_name AS list_name,
           f.record_id AS evidence_id
    FROM raw.feed_partner_referrals AS f
    JOIN core.entity_links AS l ON l.record_id = f.record_id
    CROSS JOIN ref.scoring_settings AS a
),
size_declarations AS (
    -- 中小企业声明函 (and 残疾人福利性单位 / 监狱企业 declarations): value = the class declared (or the
    -- declaration, when it declares none), detail = the industry it names, amount = its 营业收入;
    -- the figures stay in core.company_mentions (evidence_id). One per notice and class: the same
    -- manufacturer of several items of one notice declares the same firm once.
    SELECT company_id, signal,
           coalesce(declared_size, declaration) AS value,
           declared_revenue_yuan AS amount,
           coalesce(published_at, CAST(fetched_at AS DATE)) AS observed_at,
           source_id, url,
           declared_industry AS detail,
           declaration AS list_name,
           mention_id AS evidence_id
    FROM public_evidence
    WHERE signal = 'declared_size'
    QUALIFY row_number() OVER (
        PARTITION BY company_id, url, coalesce(declared_size, declaration, '') ORDER BY mention_id
    ) = 1
),
large_enterprise_evidence AS (
    -- a public list or the registry makes the company a large enterprise (core.large_enterprise_matches):
    -- value = the list's label (上市公司 / 中央企业 / 省属国企), detail = the stock code or how it matched
    SELECT company_id,
           'large_enterprise' AS signal,
           list_label AS value,
           NULL::DOUBLE AS amount,
           NULL::DATE AS observed_at,
           'list:' || list_id AS source_id,
           url,
           CASE WHEN rule = 'group_name' THEN entry_name || '下属企业，名称以“' || group_stem || '”开头'
                WHEN rule = 'group_prefix' THEN entry_name || '下属企业'
                WHEN rule = 'branch_of' THEN entry_name || '的分支机构'
                WHEN rule = 'registry_type' THEN entry_name
                ELSE coalesce(code, entry_name) END AS detail,
           list_title AS list_name,
           list_id || ':' || entry_name || ':' || rule AS evidence_id
    FROM core.large_enterprise_matches
),
registry_status AS (
    -- 吊销 / 注销 (ref.scoring_sizing.closed_statuses, contained in the status as written): 不得受理;
    -- founded less than newly_established_days before as_of: a risk
    SELECT r.company_id,
           CASE WHEN r.closed THEN 'registry_closed'
                WHEN r.established_on > a.as_of - to_days(z.newly_established_days) THEN 'newly_established'
           END AS signal,
           CASE WHEN r.closed THEN r.status ELSE strftime(r.established_on, '%Y-%m-%d') END AS value,
           NULL::DOUBLE AS amount,
           CASE WHEN r.closed THEN r.feed_date ELSE r.established_on END AS observed_at,
           'feed:registry' AS source_id,
           NULL AS url,
           r.enterprise_type AS detail,
           NULL AS list_name,
           r.record_id AS evidence_id
    FROM (SELECT c.*, array_length(list_filter(z.closed_statuses, lambda w: contains(c.status, w))) > 0 AS closed
          FROM core.registry_companies AS c CROSS JOIN ref.scoring_sizing AS z) AS r
    CROSS JOIN ref.scoring_sizing AS z
    CROSS JOIN ref.scoring_settings AS a
),
all_signals AS (
    SELECT * FROM public_signals_deduplicated
    UNION ALL SELECT * FROM payroll_employers
    UNION ALL SELECT * FROM pos_merchants
    UNION ALL SELECT * FROM counterparties_of_customers
    UNION ALL SELECT * FROM core_enterprise_chain
    UNION ALL SELECT * FROM credit_customers
    UNION ALL SELECT * FROM overdue_credit
    UNION ALL SELECT * FROM open_applications
    UNION ALL SELECT * FROM risk_declines
    UNION ALL SELECT * FROM do_not_contact
    UNION ALL SELECT * FROM tax_credit_a
    -- an owner on a negative list is no good customer of ours, whatever the bank's own data say
    UNION ALL SELECT * FROM owner_relationships
              WHERE signal <> 'owner_good_customer' OR company_id NOT IN (SELECT company_id FROM owner_negative_lists)
    UNION ALL SELECT * FROM owner_negative_lists
    UNION ALL SELECT * FROM partner_referrals
    UNION ALL SELECT * FROM size_declarations
    UNION ALL SELECT * FROM large_enterprise_evidence
    UNION ALL SELECT * FROM registry_status WHERE signal IS NOT NULL
)
SELECT
    -- row key within one build (marts.signal_points refers to it); ordered so a rebuild gives the same keys
    row_number() OVER (ORDER BY company_id, signal, observed_at, evidence_id, source_id, value, amount) AS signal_id,
    company_id,
    signal,
    value,
    CAST(amount AS DOUBLE) AS amount,
    CAST(observed_at AS DATE) AS observed_at,
    source_id,
    url,
    detail,
    list_name,
    evidence_id
FROM all_signals
WHERE signal IS NOT NULL AND company_id IS NOT NULL;
