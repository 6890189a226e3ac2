"""Building twice on unchanged inputs leaves every marts table identical (the build log aside)."""

from ranking_world import AS_OF

from warehouse.scoring import BUILD_LOG


def _marts_snapshot(con) -> dict[str, list]:
    relations = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1"
    ).fetchall()
    snapshot = {}
    for (name,) in relations:
        if f"marts.{name}" == BUILD_LOG:
            continue
        rows = con.execute(f'SELECT * FROM marts."{name}"').fetchall()
        snapshot[name] = sorted(rows, key=repr)
    return snapshot


def test_a_rebuild_on_unchanged_inputs_leaves_every_marts_table_identical(world):
    world.company("a", "甲科技有限公司")
    for days in (10, 40, 400):
        world.win("a", amount=5_000_000, days_ago=days, project=f"项目{days}")
    # equal points: the reasons must not depend on which row the engine meets first
    world.win("a", amount=1_000_000, days_ago=20, project="并列项目一")
    world.win("a", amount=1_000_000, days_ago=20, project="并列项目二")
    world.payroll("a")
    world.mention("a", "penalized", "negative_list", penalty_type="行政处罚", reason="环保", amount_yuan=20000)
    world.company("b", "乙精密有限公司", branch="宁波分行")
    world.mention("b", "listed", "srdi_list", list_name="2026年浙江省专精特新中小企业名单", tier="省级")
    world.feed_row("pos", "b", merchant_name="乙", monthly_volume_yuan=300_000, terminals=2)
    world.company("c", "丙建设有限公司")
    world.win("c")
    world.mention("c", "penalized", "negative_list", penalty_type="失信被执行人", list_name="失信被执行人名单")
    world.company("d", "丁科技有限公司")
    world.win("d")
    world.feed_row("open_applications", "d", customer_name="丁科技有限公司", applied_at=AS_OF, product="政采贷")

    world.build()
    first = _marts_snapshot(world.con)
    builds = world.con.execute(f"SELECT count(*) FROM {BUILD_LOG}").fetchone()[0]
    world.build()
    second = _marts_snapshot(world.con)

    assert {"prospects_ranked", "signal_points_base", "signal_points", "new_signals", "signal_history",
            "signal_first_seen", "company_flags", "product_fit", "company_segments", "branch_summary"} <= set(first)
    assert first["new_signals"], "the first build's signals are new"
    for name in first:
        assert second[name] == first[name], f"marts.{name} changed on a rebuild with unchanged inputs"
    assert set(second) == set(first)
    # the build log is the one table that records every build
    assert world.con.execute(f"SELECT count(*) FROM {BUILD_LOG}").fetchone()[0] == builds + 1
