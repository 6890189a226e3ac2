"""Finding one company from what a user types: a company_id, a USCC, an exact name, part of a name,
or (failing those) a close name."""

from __future__ import annotations

from kernel.errors import UserError
from tuoke.prospects.scope import Scope
from tuoke.prospects.where import Where

SHOWN = 10
CLOSE_NAME = 0.8  # Jaro-Winkler similarity of a typo'd name


def find_company(cur, scope: Scope, query: str) -> str:
    """A company_id, or a UserError that lists the candidates (or says there is none)."""
    query = query.strip()
    if not query:
        raise UserError("give a company_id or a name")
    scoped = Where().add_condition(scope.condition("p.branch"))

    def ids(condition: str, *params, order: str = "", order_params: tuple = ()) -> list[tuple]:
        sql = (f"SELECT p.company_id, p.name, p.branch FROM marts.prospects_ranked AS p WHERE {scoped.sql} "
               f"AND ({condition}) {order} LIMIT {SHOWN + 1}")
        return cur.execute(sql, [*scoped.params, *params, *order_params]).fetchall()

    for condition, params in (("p.company_id = ? OR p.uscc = upper(?)", (query, query)), ("p.name = ?", (query,))):
        hits = ids(condition, *params)
        if len(hits) == 1:
            return hits[0][0]
    candidates = ids("contains(p.name, ?)", query, order="ORDER BY length(p.name), p.name")
    if not candidates:
        candidates = ids("jaro_winkler_similarity(p.name, ?) >= ?", query, CLOSE_NAME,
                         order="ORDER BY jaro_winkler_similarity(p.name, ?) DESC, p.name", order_params=(query,))
    if len(candidates) == 1:
        return candidates[0][0]
    if not candidates:
        raise UserError(f"no company matches {query!r} (try part of its name or its company_id)")
    listed = "; ".join(f"{name} [{cid}, {branch}]" for cid, name, branch in candidates[:SHOWN])
    more = " …" if len(candidates) > SHOWN else ""
    raise UserError(f"{query!r} matches several companies: {listed}{more} — give the company_id")
