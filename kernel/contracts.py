"""Contracts between the stations, defined once: everyone imports these names, nobody retypes them.

docs/CONTRACTS.md describes each one in prose; this module is what code checks against.
"""

from __future__ import annotations

from typing import Literal, get_args

# -- Mention: one company named on one public page (landing JSONL line, raw.mentions row) -------
# key -> DuckDB type, in column order. Extractors fill EXTRACTED_MENTION_KEYS; the landing
# pipeline adds the provenance keys and writes every key of MENTION_COLUMNS on every line.
MENTION_COLUMNS: dict[str, str] = {
    "mention_id": "VARCHAR",
    "source_id": "VARCHAR",
    "source_kind": "VARCHAR",
    "run_id": "VARCHAR",
    "url": "VARCHAR",
    "fetched_at": "TIMESTAMP",
    "content_hash": "VARCHAR",
    "notice_id": "VARCHAR",
    "notice_title": "VARCHAR",
    "published_at": "DATE",
    "is_correction": "BOOLEAN",
    "supersedes": "VARCHAR",
    "role": "VARCHAR",
    "name": "VARCHAR",
    "uscc": "VARCHAR",
    "address": "VARCHAR",
    "amount_yuan": "DOUBLE",
    "amount_label": "VARCHAR",  # the label the amount stood under, as written (中标金额, 投标报价 …)
    "amount_unit": "VARCHAR",  # the unit it was written in (元, 万元, 亿元); amount_yuan is always in 元
    "lot": "VARCHAR",
    "rank": "INTEGER",
    "project_name": "VARCHAR",
    "project_code": "VARCHAR",
    "region": "VARCHAR",
    "district": "VARCHAR",
    "tier": "VARCHAR",
    "industry": "VARCHAR",
    "list_name": "VARCHAR",
    "penalty_type": "VARCHAR",
    "reason": "VARCHAR",
    "authority": "VARCHAR",
    "status": "VARCHAR",
    "extra": "JSON",
}
MENTION_KEYS: tuple[str, ...] = tuple(MENTION_COLUMNS)
PROVENANCE_KEYS: tuple[str, ...] = ("mention_id", "source_id", "source_kind", "run_id", "fetched_at", "content_hash")
EXTRACTED_MENTION_KEYS: tuple[str, ...] = tuple(k for k in MENTION_KEYS if k not in PROVENANCE_KEYS)
# The keys a notice shares with every mention taken from it.
NOTICE_KEYS: tuple[str, ...] = (
    "notice_id", "notice_title", "published_at", "is_correction", "supersedes", "project_name", "project_code",
)

# merchant: a trader in a 专业市场 / 商圈 directory (the market is the list)
# declarant: the manufacturer / contractor a 中小企业声明函 (or a 残疾人福利性单位 / 监狱企业 declaration)
# names, with its declared size in `extra.size_declaration` (scrapers/extract/sme_declaration.py)
Role = Literal["winner", "candidate", "bidder", "purchaser", "agent", "member", "tenant", "listed", "penalized",
               "merchant", "declarant"]
ROLES: frozenset[str] = frozenset(get_args(Role))

# -- RunStats: one crawl run's `<run_id>.stats.json`, loaded into raw.crawl_stats --------------------
# key -> DuckDB type. A stats file may carry more keys (for monitors); loaders keep these.
RUN_STATS_COLUMNS: dict[str, str] = {
    "source_id": "VARCHAR",
    "run_id": "VARCHAR",
    "started_at": "TIMESTAMP",
    "finished_at": "TIMESTAMP",
    "finish_reason": "VARCHAR",
    "pages": "INTEGER",
    "list_pages": "INTEGER",
    "detail_pages": "INTEGER",
    "attachments": "INTEGER",
    "items": "INTEGER",
    "quarantined": "INTEGER",
    "blocked": "INTEGER",
    "http_errors": "INTEGER",
    "unused_labels": "JSON",
    "quarantine_reasons": "JSON",
    "pages_by_kind": "JSON",  # detail pages per page kind (sources of kind `auto`); {} otherwise
    # Extraction health (issue 18): counts whose shares make silent misses visible (EXTRACTION_HEALTH).
    "award_pages": "INTEGER",  # detail pages read as award notices
    "award_pages_without_winner": "INTEGER",  # …of them naming no winner and no failed lot
    "winners": "INTEGER",  # winner mentions
    "winners_without_amount": "INTEGER",  # …of them with no amount, no unit price and no fee rate
    "unknown_kind_pages": "INTEGER",  # detail pages no headline, URL, sentence or structure named
    "names_found": "INTEGER",  # organisation names the recogniser found where a party may stand
    "names_without_role": "INTEGER",  # …of them in no mention (no role evidence)
}
RUN_STATS_KEYS: tuple[str, ...] = tuple(RUN_STATS_COLUMNS)
# (what, numerator key, denominator key): the shares a crawl's health is read by, in this order.
EXTRACTION_HEALTH: tuple[tuple[str, str, str], ...] = (
    ("award pages without a winner", "award_pages_without_winner", "award_pages"),
    ("winners without an amount", "winners_without_amount", "winners"),
    ("pages of unknown kind", "unknown_kind_pages", "detail_pages"),
    ("names without a role", "names_without_role", "names_found"),
)
HEALTH_COUNT_KEYS: tuple[str, ...] = tuple(dict.fromkeys(k for _, n, d in EXTRACTION_HEALTH for k in (n, d) if k != "detail_pages"))

# -- page kinds: what a public page is (a source YAML's `kind`, `tuoke extract --kind`) -------------
PageKind = Literal[
    "procurement_award",
    "candidate_notice",
    "tender_notice",
    "winner_list",
    "srdi_list",
    "directory",
    "negative_list",
]
PAGE_KINDS: tuple[str, ...] = get_args(PageKind)

# -- internal feeds: the column types of configs/feeds.yaml ----------------------------------------
# The feed names and their canonical columns are configs/feeds.yaml itself (kernel.feeds reads
# it); what every column type means is the loader's table in warehouse/feeds/columns.py.
FeedColumnType = Literal[
    "name",  # company name; empty -> quarantined (empty_name)
    "text",  # free text, trimmed
    "uscc",  # 统一社会信用代码; a wrong check character keeps the row with uscc NULL, flagged invalid_uscc
    "int",  # whole number; else bad_number
    "amount",  # yuan: "1,234.5", "¥1234", "31.2万"; else bad_number
    "date",  # 2026-10-08, 2026/10/8, 20261008, 2026年10月8日; else bad_date
    "month",  # 2026-10, 202610, 2026年10月 (the month's first day); else bad_date
    "bool",  # 是/否, Y/N, true/false, 1/0; else bad_bool
    "person_name",  # an individual's name: stored only as its HMAC (warehouse/pii.py)
    "person_id",  # an 18-digit ID number: stored only as its HMAC (warehouse/pii.py)
    "name_list",  # several company names in one cell (曾用名), split on ；;、| and newlines, each checked as a name
    "reported_int",  # a published figure (年报 从业人数): a whole number, or NULL flagged not_published for 企业选择不公示
    "reported_amount",  # a published amount (年报 营业收入) in yuan, or NULL flagged not_published
]
FEED_COLUMN_TYPES: tuple[str, ...] = get_args(FeedColumnType)

# -- signals: what core.company_signals (dbt_like_sql/core/company_signals.sql) says of a company -----
# configs/scoring.yaml gives each a label, kind, reason text and points; it may name no other.
Signal = Literal[
    "procurement_win", "tender_candidate", "procurement_bid", "srdi_listed", "association_member", "park_tenant",
    "guarantee_partner", "owner_good_customer", "no_negative_record", "payroll_employer", "pos_merchant",
    "counterparty_of_customers", "credit_customer", "credit_overdue", "dishonest_debtor", "consumption_restricted",
    "serious_violation", "abnormal_operation", "administrative_penalty", "open_application", "risk_decline",
    "do_not_contact", "tax_credit_a", "insurance_backed", "owner_delinquent", "high_tech_listed", "market_merchant",
    "core_enterprise_supplier", "core_enterprise_distributor", "owner_listed_negative",
    # size and registry (docs/sizing.md): a 中小企业声明函 line, a large-enterprise list entry or rule,
    # a 吊销/注销 registry status, a registry founding date under a year ago
    "declared_size", "large_enterprise", "registry_closed", "newly_established",
]
SIGNALS: tuple[str, ...] = get_args(Signal)
# profile: a fact about who the company is (size, registry); it scores nothing by itself and alone makes
# no prospect, but may exclude (不得受理) or subtract like any signal scoring.yaml lists
SignalKind = Literal["opportunity", "relationship", "risk", "bank_state", "derived", "profile"]
SIGNAL_KINDS: tuple[str, ...] = get_args(SignalKind)
DERIVED_SIGNALS: tuple[str, ...] = ("no_negative_record",)  # made by the scoring models, not by company_signals
SUPPRESSION_SIGNALS: tuple[str, ...] = ("open_application", "risk_decline", "do_not_contact")  # bank state
# The 五好 (five goods), in the order of ref.scoring_dimensions (risk comes last).
Dimension = Literal["business", "owner", "reputation", "mitigation", "willingness"]
DIMENSIONS: tuple[str, ...] = get_args(Dimension)

# -- segments: marts.company_segments (dbt_like_sql/marts/company_segments.sql) writes these values;
# every face shows the label (tests/kernel/test_one_definition.py finds a second definition).
Segment = Literal["new_to_bank", "existing_no_credit", "existing_credit"]
SEGMENTS: tuple[str, ...] = get_args(Segment)
SEGMENT_LABELS: dict[str, str] = {"new_to_bank": "新客户", "existing_no_credit": "存量无贷", "existing_credit": "存量有贷"}

# -- reference tables: configs as tables, written by warehouse.refdata.load_reference ---------------
# (territories.yaml, then scoring.yaml through warehouse.scoring.write_scoring_reference, then
# size_standard.yaml and large_enterprises.yaml through warehouse.sizing.write_size_reference).
SCORING_REFERENCE_TABLES: tuple[str, ...] = (
    "ref.scoring_settings", "ref.scoring_signals", "ref.scoring_reason_parts", "ref.scoring_dimensions",
    "ref.scoring_rules", "ref.scoring_products", "ref.scoring_flags", "ref.scoring_restricted_industries",
    "ref.scoring_segments", "ref.scoring_alerts", "ref.scoring_sizing",
)
# who counts as 普惠 (warehouse.sizing.write_size_reference): the size standard and the large-enterprise lists
SIZE_REFERENCE_TABLES: tuple[str, ...] = (
    "ref.size_thresholds", "ref.size_industries", "ref.size_words", "ref.size_sections", "ref.size_classes",
    "ref.size_evidence", "ref.size_settings", "ref.large_enterprise_lists", "ref.large_enterprises",
)
REFERENCE_TABLES: tuple[str, ...] = ("ref.territories", "ref.core_enterprises", *SCORING_REFERENCE_TABLES,
                                     *SIZE_REFERENCE_TABLES)

# -- size (《中小企业划型标准规定》, docs/sizing.md) ------------------------------------------------
# size_class of core.companies / marts.prospects_ranked, smallest first (the order is the rank)
SizeClass = Literal["micro", "small", "medium", "large", "unknown"]
SIZE_CLASSES: tuple[str, ...] = get_args(SizeClass)
MEASURED_SIZE_CLASSES: tuple[str, ...] = ("micro", "small", "medium", "large")
# what the standard measures a firm by
SizeMeasure = Literal["employees", "revenue", "assets"]
SIZE_MEASURES: tuple[str, ...] = get_args(SizeMeasure)
# evidence of size, best first (the order of configs/size_standard.yaml `evidence`)
SizeEvidence = Literal["large_enterprise_list", "sme_declaration", "policy_declaration", "registry_annual_report",
                       "bank_records", "registration_kind"]
SIZE_EVIDENCE: tuple[str, ...] = get_args(SizeEvidence)
# the public lists that give large_enterprise evidence (configs/large_enterprises.yaml)
LargeEnterpriseListKind = Literal["listed", "central_soe", "provincial_soe"]
LARGE_ENTERPRISE_LIST_KINDS: tuple[str, ...] = get_args(LargeEnterpriseListKind)
# size_segment of marts.prospects_ranked: who the company is for 普惠 and for the product rules
SizeSegment = Literal["individual_business", "micro", "small", "medium", "large", "unknown"]
SIZE_SEGMENTS: tuple[str, ...] = get_args(SizeSegment)
