"""Invariants of the ranked lists: exclusions and suppressions stay off them, scores are the sum of
their traced points, and the YAML weights move the order the way a reader expects."""

import datetime as dt

from ranking_world import AS_OF, base_scoring


def test_excluded_or_suppressed_company_never_appears_in_a_ranked_list(world):
    world.company("good", "甲科技有限公司")
    world.win("good")
    world.company("debtor", "乙建设有限公司")
    world.win("debtor", amount=9_000_000)
    world.mention("debtor", "penalized", "negative_list", penalty_type="失信被执行人", list_name="失信被执行人名单")
    world.company("cement", "丙水泥有限公司")
    world.win("cement", amount=9_000_000)
    world.company("applied", "丁科技有限公司")
    world.win("applied", amount=9_000_000)
    world.feed_row("open_applications", "applied", customer_name="丁科技有限公司", applied_at=AS_OF, product="政采贷")
    world.company("dnc", "戊科技有限公司")
    world.win("dnc", amount=9_000_000)
    world.feed_row("do_not_contact", "dnc", customer_name="戊科技有限公司", registered_at=AS_OF, reason="客户要求")
    world.build()
    assert [r[0] for r in world.ranked()] == ["good"]
    for company_id, field in [("debtor", "excluded"), ("cement", "excluded"), ("applied", "suppressed"),
                              ("dnc", "suppressed")]:
        row = world.row(company_id)
        assert row[field] is True and row["rank"] is None
        assert row[f"{'exclusion' if field == 'excluded' else 'suppression'}_reason"]
    assert "失信被执行人" in world.row("debtor")["exclusion_reason"]
    assert "两高一剩" in world.row("cement")["exclusion_reason"]
    flag = world.con.execute(
        "SELECT list_name, url, observed_at, active FROM marts.company_flags WHERE company_id = 'debtor'"
    ).fetchone()
    assert flag[0] == "失信被执行人名单" and flag[1].startswith("https://") and flag[2] is not None and flag[3]


def test_score_equals_the_sum_of_its_traced_points(world):
    world.company("a", "甲科技有限公司")
    for days in (10, 40, 200, 400, 800):
        world.win("a", amount=5_000_000, days_ago=days, project=f"项目{days}")
    world.payroll("a")
    world.feed_row("pos", "a", merchant_name="甲科技", monthly_volume_yuan=900_000, terminals=3)
    world.mention("a", "penalized", "negative_list", penalty_type="行政处罚", reason="环保", amount_yuan=20000)
    world.company("b", "乙科技有限公司")
    world.mention("b", "listed", "srdi_list", list_name="2026年浙江省专精特新中小企业名单", tier="省级")
    world.build()
    mismatches = world.con.execute(
        """
        SELECT p.company_id, p.score, t.total
        FROM marts.prospects_ranked AS p
        JOIN (SELECT company_id, CAST(sum(points) AS DOUBLE) AS total FROM marts.signal_points GROUP BY 1) AS t
          USING (company_id)
        WHERE abs(p.score - t.total) > 1e-9
           OR abs(p.score - (p.score_business + p.score_owner + p.score_reputation + p.score_mitigation
                             + p.score_willingness + p.score_risk)) > 1e-6
        """
    ).fetchall()
    assert mismatches == []
    # caps hold: the business dimension never passes its configured cap
    business = world.row("a")["score_business"]
    assert 0 < business <= 40
    assert world.row("a")["score_risk"] < 0
    traced = world.con.execute("SELECT count(*) FROM marts.signal_points WHERE reason_text IS NULL").fetchone()[0]
    assert traced == 0


def test_a_procurement_winner_with_payroll_outranks_a_company_with_neither(world):
    world.company("winner", "甲科技有限公司")
    world.win("winner")
    world.payroll("winner")
    world.company("member", "乙科技有限公司")
    world.mention("member", "member", "directory", tier="会员单位", list_name="杭州市软件行业协会")
    world.build()
    assert [r[0] for r in world.ranked()] == ["winner", "member"]
    reasons = world.row("winner")["reasons"]
    assert any("中标" in r and "326 万元" in r for r in reasons)
    assert "代发工资 48 人，月代发 31.2 万元" in reasons
    assert world.row("winner")["segment"] == "existing_no_credit"
    assert world.row("member")["segment"] == "new_to_bank"
    assert "政采贷" in world.row("winner")["products"]


def test_changing_a_weight_in_the_yaml_moves_the_order(world):
    world.company("srdi", "甲精密有限公司")
    world.mention("srdi", "listed", "srdi_list", list_name="2026年浙江省专精特新中小企业名单", tier="省级")
    world.company("pos", "乙餐饮有限公司")
    world.feed_row("pos", "pos", merchant_name="乙餐饮", monthly_volume_yuan=100_000, terminals=2)
    world.build()
    default_order = [r[0] for r in world.ranked()]
    scoring = base_scoring()
    scoring["dimensions"]["reputation"]["weight"] = 2.0
    world.build(scoring)
    assert default_order == ["pos", "srdi"]
    assert [r[0] for r in world.ranked()] == ["srdi", "pos"]


def test_a_lifted_abnormal_operation_neither_penalises_nor_excludes(world):
    world.company("lifted", "甲科技有限公司")
    world.win("lifted")
    world.mention("lifted", "penalized", "negative_list", penalty_type="经营异常", status="lifted",
                  reason="通过登记的住所无法联系")
    world.company("clean", "乙科技有限公司")
    world.win("clean")
    world.company("active", "丙科技有限公司")
    world.win("active")
    world.mention("active", "penalized", "negative_list", penalty_type="经营异常", status="active")
    world.build()
    lifted, clean, active = world.row("lifted"), world.row("clean"), world.row("active")
    assert lifted["rank"] is not None and not lifted["excluded"]
    assert lifted["score"] == clean["score"] and lifted["score_risk"] == 0
    assert active["rank"] is not None and not active["excluded"]  # 经营异常 is a penalty, not an exclusion
    assert active["score_risk"] < 0 and active["score"] < clean["score"]


def test_a_risk_decline_suppresses_only_within_its_cooling_off_period(world):
    world.company("recent", "甲科技有限公司")
    world.win("recent")
    world.feed_row("risk_declines", "recent", customer_name="甲", declined_at=AS_OF - dt.timedelta(days=30), reason="负债高")
    world.company("old", "乙科技有限公司")
    world.win("old")
    world.feed_row("risk_declines", "old", customer_name="乙", declined_at=AS_OF - dt.timedelta(days=400), reason="负债高")
    world.build()
    assert world.row("recent")["suppressed"] and world.row("recent")["rank"] is None
    assert not world.row("old")["suppressed"] and world.row("old")["rank"] == 1


def test_new_signals_lists_what_the_latest_build_that_added_signals_saw_first(world):
    world.company("a", "甲科技有限公司")
    world.win("a", project="第一个项目")
    world.build()
    first = world.con.execute("SELECT signal, first_seen FROM marts.new_signals").fetchall()
    assert [r[0] for r in first] == ["procurement_win"]
    world.build()  # unchanged inputs: no signal is new, the trigger list stays as it was
    assert world.con.execute("SELECT signal, first_seen FROM marts.new_signals").fetchall() == first
    world.win("a", project="第二个项目", amount=1_000_000)
    world.mention("a", "listed", "srdi_list", list_name="2026年浙江省专精特新中小企业名单", tier="省级")
    world.build()
    rows = world.con.execute("SELECT signal, reason_text, url, branch FROM marts.new_signals ORDER BY signal").fetchall()
    assert [r[0] for r in rows] == ["procurement_win", "srdi_listed"]
    assert "第二个项目" in rows[0][1] and rows[0][2].startswith("https://") and rows[0][3] == "杭州分行"


def test_non_enterprises_such_as_purchasers_are_not_prospects(world):
    world.company("hospital", "某市人民医院", non_enterprise=True)
    world.mention("hospital", "winner", "procurement_award", amount_yuan=100000, project_name="x")
    world.build()
    assert world.row("hospital") == {}


def test_a_company_whose_only_reason_is_no_negative_record_is_not_ranked(world):
    # a bidder's only row in this pinned scoring gives no points; 无负面清单记录 alone is no reason to call
    world.company("quiet", "静默科技有限公司")
    world.mention("quiet", "member", "directory", list_name="某商会会员名录", tier="会员单位")
    world.company("winner", "中标科技有限公司")
    world.win("winner")
    scoring = base_scoring()
    scoring["dimensions"]["reputation"]["signals"]["association_member"] = {"points": 0}
    world.build(scoring)
    quiet, winner = world.row("quiet"), world.row("winner")
    assert quiet["score"] > 0 and not quiet["has_positive_evidence"] and quiet["rank"] is None
    assert winner["has_positive_evidence"] and winner["rank"] == 1


def test_dimension_scores_follow_the_dimensions_of_the_yaml(world):
    world.company("a", "甲科技有限公司")
    world.win("a")
    world.payroll("a")
    world.build()
    row = world.row("a")
    dims = dict(row["dimension_scores"])
    assert set(dims) <= {"business", "owner", "reputation", "mitigation", "willingness", "risk"}
    assert abs(sum(dims.values()) - row["score"]) < 1e-6
    assert dims["business"] == row["score_business"] > 0
