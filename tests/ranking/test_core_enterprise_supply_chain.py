"""#14, 交易流水获客: the counterparties of a core enterprise a branch follows (territories.yaml
core_enterprises → ref.core_enterprises) become supply-chain prospects, from the counterparties
feed's optional customer column. The feed files go through the real loader (contract, NFKC,
quarantine), so an old export without the column is tested as the bank would drop it."""

import csv

import pytest
from ranking_world import base_scoring

from kernel.errors import UserError
from kernel.paths import DataPaths
from kernel.territories import load_territories_config
from warehouse.feeds import load_feeds
from warehouse.refdata import load_reference

CORE = "杭州恒川电气集团有限公司"
TERRITORIES = {
    "default_branch": "省分行营业部",
    "territories": [{"province": "浙江省", "city": "杭州市", "branch": "杭州分行"}],
    "core_enterprises": [{"name": CORE, "branch": "杭州分行", "aliases": ["杭州恒川电气有限公司"]}],
}
NEW_HEADER = ["交易对手名称", "交易对手开户行", "流入金额(元)", "流出金额(元)", "我行交易客户数", "统计月份", "我行客户名称"]
OLD_HEADER = NEW_HEADER[:-1]


def scoring() -> dict:
    # pinned here (not the shipped scoring.yaml): the test owns the points it checks
    data = base_scoring()
    data["signals"].update({
        "core_enterprise_supplier": {"label": "核心企业供应商", "kind": "opportunity",
                                     "reason": "为 {value} 供货，月均 {amount_wan} 万元"},
        "core_enterprise_distributor": {"label": "核心企业下游客户", "kind": "opportunity",
                                        "reason": "向 {value} 采购（下游），月均 {amount_wan} 万元"},
    })
    data["dimensions"]["business"]["signals"]["core_enterprise_supplier"] = {"points": 5}
    data["dimensions"]["business"]["signals"]["core_enterprise_distributor"] = {"points": 3}
    data["products"]["供应链金融"] = {"signals": {"core_enterprise_supplier": {"weight": 1.0}}, "min_fit": 15}
    return data


def drop(paths: DataPaths, filename: str, header: list[str], rows: list[list[str]]) -> None:
    folder = paths.inbox / "counterparties"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / filename).open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def load_and_link(world, paths: DataPaths, companies: dict[str, str]) -> None:
    """The real loader, then each loaded row linked to its company by the counterparty's name (what
    entity resolution would do; the ranking world fills core.entity_links directly)."""
    load_feeds(world.con, paths)
    for name, company_id in companies.items():
        world.con.execute(
            "INSERT INTO core.entity_links SELECT record_id, ?, 'test', 1.0, '{}' FROM raw.feed_counterparties "
            "WHERE counterparty_name = ?", [company_id, name])


def signals(world, signal: str) -> dict[str, tuple]:
    rows = world.con.execute(
        "SELECT company_id, value, amount, detail, list_name FROM core.company_signals WHERE signal = ?", [signal]
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_a_core_enterprises_supplier_gets_the_signal_and_a_plain_customers_counterparty_does_not(world, tmp_path):
    paths = DataPaths(tmp_path / "data")
    names = {"杭州甲精密机械有限公司": "sup", "杭州乙电子有限公司": "alias_sup", "杭州丙贸易有限公司": "buyer",
             "杭州丁物流有限公司": "plain"}
    for name, company_id in names.items():
        world.company(company_id, name)
    drop(paths, "2026-10.csv", NEW_HEADER, [
        # paid by the core enterprise in two months: a supplier, 月均 (1,000,000 + 600,000) / 2;
        # the second month writes the customer with a space, as bank systems sometimes do
        ["杭州甲精密机械有限公司", "杭州银行", "0", "1000000", "1", "2026-09", CORE],
        ["杭州甲精密机械有限公司", "杭州银行", "0", "600000", "1", "2026-10", "杭州恒川电气集团 有限公司"],
        ["杭州乙电子有限公司", "杭州银行", "0", "300000", "1", "2026-10", "杭州恒川电气有限公司"],  # an alias
        ["杭州丙贸易有限公司", "杭州银行", "450000", "0", "1", "2026-10", CORE],  # pays it: downstream
        # trades with an ordinary customer, and with a name that only resembles the core enterprise
        ["杭州丁物流有限公司", "杭州银行", "0", "900000", "1", "2026-10", "杭州某某五金有限公司"],
        ["杭州丁物流有限公司", "杭州银行", "0", "900000", "1", "2026-10", "杭州恒川电气集团有限公司宁波分公司"],
    ])
    load_and_link(world, paths, names)
    load_reference(world.con, territories=TERRITORIES, scoring=scoring())
    world.build(scoring())

    suppliers = signals(world, "core_enterprise_supplier")
    assert set(suppliers) == {"sup", "alias_sup"}  # not the plain customer's counterparty, not the buyer
    assert suppliers["sup"] == (CORE, pytest.approx(800_000), "2", "杭州分行")
    assert suppliers["alias_sup"][0] == CORE  # the alias names the configured enterprise
    assert signals(world, "core_enterprise_distributor") == {"buyer": (CORE, pytest.approx(450_000), "1", "杭州分行")}
    # every counterparty still is one of our customers' (willingness), whatever its customer
    assert set(signals(world, "counterparty_of_customers")) == set(names.values())

    reason = world.con.execute(
        "SELECT reason_text FROM marts.signal_points WHERE company_id = 'sup' AND signal = 'core_enterprise_supplier'"
    ).fetchone()[0]
    assert reason == f"为 {CORE} 供货，月均 80 万元"
    sup, plain = world.row("sup"), world.row("plain")
    assert sup["score_business"] > plain["score_business"]
    assert "供应链金融" in sup["products"] and "供应链金融" not in (plain["products"] or [])


def test_an_old_export_without_the_customer_column_still_loads_and_names_no_supply_chain(world, tmp_path):
    paths = DataPaths(tmp_path / "data")
    world.company("old", "杭州戊制造有限公司")
    drop(paths, "2026-09.csv", OLD_HEADER, [["杭州戊制造有限公司", "杭州银行", "0", "700000", "3", "2026-09"]])
    load_and_link(world, paths, {"杭州戊制造有限公司": "old"})
    files = world.con.execute("SELECT status, rows FROM raw.feed_files").fetchall()
    assert files == [("loaded", 1)]
    assert world.con.execute("SELECT customer_name FROM raw.feed_counterparties").fetchall() == [(None,)]
    load_reference(world.con, territories=TERRITORIES, scoring=scoring())
    world.build(scoring())
    assert set(signals(world, "counterparty_of_customers")) == {"old"}
    assert signals(world, "core_enterprise_supplier") == {}


def test_a_core_enterprise_paying_itself_is_not_its_own_supplier(world, tmp_path):
    paths = DataPaths(tmp_path / "data")
    world.company("self", CORE)
    drop(paths, "2026-10.csv", NEW_HEADER, [[CORE, "杭州银行", "0", "5000000", "1", "2026-10", CORE]])
    load_and_link(world, paths, {CORE: "self"})
    load_reference(world.con, territories=TERRITORIES, scoring=scoring())
    world.build(scoring())
    assert signals(world, "core_enterprise_supplier") == {}


@pytest.mark.parametrize("core_enterprises, message", [
    ([{"name": CORE, "branch": "杭州分行"}, {"name": f" {CORE}", "branch": "省分行营业部"}], "same enterprise"),
    ([{"name": CORE, "branch": "上海分行"}], "not a branch"),
])
def test_a_core_enterprise_belongs_to_one_known_branch(core_enterprises, message):
    with pytest.raises(UserError, match=message):
        load_territories_config({**TERRITORIES, "core_enterprises": core_enterprises})


def test_the_committed_demo_feed_has_suppliers_of_every_shipped_core_enterprise():
    # demo/internal/counterparties.csv is generated from territories.yaml: renaming a core
    # enterprise without regenerating it (python -m demo.internal) would leave the demo without any
    from demo.internal import DEMO_CORE_ENTERPRISES, INTERNAL_DIR
    from kernel.territories import core_enterprise_key

    assert DEMO_CORE_ENTERPRISES == [c.name for c in load_territories_config().core_enterprises]

    with (INTERNAL_DIR / "counterparties.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for core in load_territories_config().core_enterprises:
        suppliers = {r["交易对手名称"] for r in rows
                     if core_enterprise_key(r["我行客户名称"]) in core.keys and float(r["流出金额(元)"]) > 0}
        assert len(suppliers) >= 3, core.name
