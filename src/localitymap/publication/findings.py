"""The plain-English findings a committee paper carries, derived only from the data.

Sentences, in order: which locality had the highest number across the service indicators (with
the shares of the catalogue's headline indicators), who was second for which indicators (grouped
so each locality gets one sentence), the toxic-trio measures one by one, and, when rates were
added, where the per-child picture differs from the counts and which localities are
significantly higher than the rest of the borough. Ties read "equally"; orders that suppressed
cells could change say so.

>>> from localitymap import read_indicators, rollup
>>> data = read_indicators(period="2019-02")
>>> print(findings(rollup(data, "icn6"))[0])  # doctest: +NORMALIZE_WHITESPACE
Central West had the highest number for all 11 service indicators, including 28% of child
protection plans and 27% of looked-after children.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from localitymap.model.rollup import UNASSIGNED

if TYPE_CHECKING:
    import pandas as pd

TOXIC_TRIO = "Toxic trio"


def _label(text: str) -> str:
    """Lower-case a label for use mid-sentence, keeping acronyms (EHC plans, NEETs, C&F)."""
    first = text.split(" ", 1)[0]
    if sum(ch.isupper() for ch in first) >= 2:
        return text
    return text[:1].lower() + text[1:]


def _join(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


#: Localities named one sentence each for a significantly higher rate; more are summarised.
SENTENCE_LIMIT = 10


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def _order(grp: pd.DataFrame) -> list[list[dict[str, Any]]]:
    """Localities of one indicator grouped by rank, highest first (ties share a group)."""
    body = grp[~grp["is_total"] & grp["locality"].ne(UNASSIGNED) & grp["rank"].notna()]
    levels: dict[int, list[dict[str, Any]]] = {}
    # Only what a finding names: records of every column cost seconds at national scale.
    for rec in body[["locality", "rank", "share"]].to_dict("records"):
        levels.setdefault(int(rec["rank"]), []).append(rec)
    return [levels[k] for k in sorted(levels)]


def _certain(grp: pd.DataFrame) -> bool:
    body = grp[~grp["is_total"] & grp["locality"].ne(UNASSIGNED)]
    return bool((body["rank_best"] == body["rank_worst"]).all())


def _place_certain(grp: pd.DataFrame, place: int) -> bool:
    """Whether the localities at ``place`` (1 = highest) are certainly there: their rank cannot
    move, and no locality whose rank is a range could take the place."""
    body = grp[~grp["is_total"] & grp["locality"].ne(UNASSIGNED)]
    if body.empty:
        return True
    levels = _order(grp)
    if len(levels) < place or int(levels[place - 1][0]["rank"]) != place:
        return False  # a suppressed locality holds the place (or one above it)
    best, worst = body["rank_best"].astype("Float64"), body["rank_worst"].astype("Float64")
    holders = body["rank"].astype("Float64") == place
    fixed = bool(((best == worst) | ~holders).fillna(True).all())
    # Shown localities' rank ranges already allow for where a suppressed one could be.
    intruders = bool(((best <= place) & (worst >= place) & ~holders).fillna(False).any())
    return fixed and not intruders


def findings(table: pd.DataFrame) -> list[str]:
    """The findings as sentences. ``table`` is a rollup, optionally with rates added; the
    headline indicators are those the catalogue marks (kept in the rollup's metadata)."""
    headline = list(table.attrs.get("headline", []))
    # Grouped without the metadata: pandas deep-copies .attrs into every slice, which made the
    # findings grow with the square of the number of indicators.
    # Only the columns findings read: every column of every group would be copied per slice.
    used = ["indicator", "label", "domain", "locality", "is_total", "count", "share", "rank",
            "rank_best", "rank_worst", "rate", "vs_rest_95", "vs_rest_998"]  # fmt: skip
    bare = table[[c for c in used if c in table.columns]]
    bare.attrs = {}
    # Not dict(groupby): a GroupBy has a .keys attribute, so dict() mistakes it for a mapping.
    groups = {ind: grp for ind, grp in bare.groupby("indicator", sort=False)}  # noqa: C416
    orders = {ind: _order(grp) for ind, grp in groups.items()}
    domains = {ind: str(grp["domain"].iloc[0]) for ind, grp in groups.items()}
    service = [ind for ind in groups if domains[ind] != TOXIC_TRIO]
    trio = [ind for ind in groups if domains[ind] == TOXIC_TRIO]
    label = {ind: _label(str(grp["label"].iloc[0])) for ind, grp in groups.items()}
    sentences: list[str] = []
    uncertain = [label[i] for i in groups if not _certain(groups[i])]

    # Highest, grouped by locality (a tie puts the indicator under each tied locality).
    first: dict[str, list[str]] = {}
    tied_first: list[str] = []
    unsure_first = [i for i in service if orders[i] and not _place_certain(groups[i], 1)]
    for ind in service:
        if ind in unsure_first:
            continue
        top = orders[ind][0] if orders[ind] else []
        if len(top) > 1:
            tied_first.append(ind)
        for rec in top:
            first.setdefault(rec["locality"], []).append(ind)
    for loc, inds in sorted(first.items(), key=lambda kv: -len(kv[1])):
        solo = [i for i in inds if i not in tied_first]
        if not solo:
            continue
        if len(solo) == len(service) and len(service) > 1:
            what = (
                "for both service indicators"
                if len(service) == 2
                else f"for all {len(service)} service indicators"
            )
        else:
            what = "of " + _join([label[i] for i in solo])
        shares = [
            f"{_pct(rec['share'])} of {label[i]}"
            for i in headline if i in solo
            for rec in orders[i][0] if rec["locality"] == loc and rec["share"] == rec["share"]
        ]  # fmt: skip
        tail = f", including {_join(shares)}" if shares and len(solo) > 2 else ""
        if shares and len(solo) <= 2:
            tail = f" ({_join(shares)})"
        sentences.append(f"{loc} had the highest number {what}{tail}.")
    for ind in tied_first:
        names = [r["locality"] for r in orders[ind][0]]
        sentences.append(f"{_join(names)} had equally the highest number of {label[ind]}.")
    for ind in unsure_first:
        top = orders[ind][0]
        if int(top[0]["rank"]) != 1:
            sentences.append(
                f"The locality with the highest number of {label[ind]} cannot be named: its "
                "figure is suppressed."
            )
            continue
        names = [r["locality"] for r in top]
        sentences.append(
            f"On the published figures {_join(names)} had the highest number of {label[ind]}, "
            "but the order is uncertain because some figures are suppressed."
        )

    # Second highest, one sentence per locality, most indicators first; ties said as such.
    second: dict[str, list[str]] = {}
    tied_second: list[tuple[str, list[str]]] = []
    for ind in service:
        levels = orders[ind]
        if ind in unsure_first:
            continue
        if len(levels) > 1 and len(levels[0]) == 1 and not _place_certain(groups[ind], 2):
            names = [r["locality"] for r in levels[1]]
            sentences.append(
                f"On the published figures {_join(names)} had the second highest number of "
                f"{label[ind]}, but the order is uncertain because some figures are suppressed."
            )
            continue
        if len(levels) > 1 and len(levels[0]) == 1:
            if len(levels[1]) > 1:
                tied_second.append((ind, [r["locality"] for r in levels[1]]))
            else:
                second.setdefault(levels[1][0]["locality"], []).append(ind)
    for loc, inds in sorted(second.items(), key=lambda kv: -len(kv[1])):
        sentences.append(
            f"{loc} had the second highest number of {_join([label[i] for i in inds])}."
        )
    for ind, names in tied_second:
        sentences.append(f"{_join(names)} had equally the second highest number of {label[ind]}.")

    # Toxic trio, one sentence each: the first three places.
    for ind in trio:
        levels = orders[ind]
        if not levels:
            continue
        name = label[ind][:1].upper() + label[ind][1:]
        top = [r["locality"] for r in levels[0]]
        if int(levels[0][0]["rank"]) != 1:
            sentences.append(
                f"The locality where {label[ind]} was highest cannot be named: its figure is "
                "suppressed."
            )
            continue
        if not _certain(groups[ind]):
            sentences.append(
                f"On the published figures {name} was highest in "
                f"{_join(top)}, but the order is uncertain because some figures are suppressed."
            )
            continue
        lead = (
            f"{name} was equally highest in {_join(top)}"
            if len(top) > 1
            else f"{name} was highest in {top[0]}"
        )
        rest = [r["locality"] for lvl in levels[1:] for r in lvl][: max(0, 3 - len(top))]
        sentences.append(lead + (f", then {_join(rest)}." if rest else "."))

    if "rate" in table.columns:
        sentences += _rate_findings(table, groups, label)
    elif table.attrs.get("rates_unavailable"):
        sentences.append(str(table.attrs["rates_unavailable"]))
    if uncertain:
        sentences.append(
            "Suppressed figures mean the order of localities is not certain for "
            + _join(uncertain)
            + "."
        )
    return sentences


def _rate_findings(
    table: pd.DataFrame, groups: dict[str, pd.DataFrame], label: dict[str, str]
) -> list[str]:
    """Where the per-child ranking differs from the count ranking (grouped into one sentence),
    and which localities are significantly higher than the rest of the borough."""
    out: list[str] = []
    # Rates are compared with every other ward of the register: a borough's, or a region's.
    rest = "the rest of the area" if "authority" in table.columns else "the rest of the borough"
    elsewhere: dict[str, list[str]] = {}
    for ind, grp in groups.items():
        body = grp[~grp["is_total"] & grp["locality"].ne(UNASSIGNED)]
        if body.empty or body["rate"].isna().any() or body["count"].isna().any():
            continue
        by_count = body.sort_values("count", ascending=False, kind="stable")["locality"].iloc[0]
        by_rate = body.sort_values("rate", ascending=False, kind="stable")["locality"].iloc[0]
        if by_rate != by_count:
            elsewhere.setdefault(by_rate, []).append(label[ind])
    if elsewhere:
        parts = [
            f"{loc} for {_join(items)}"
            for loc, items in sorted(elsewhere.items(), key=lambda kv: -len(kv[1]))
        ]
        out.append(
            "Per child the picture differs: the highest rates (not the most cases) were in "
            + "; and in ".join(parts)
            + "."
        )
    higher: dict[str, list[str]] = {}
    strongly: dict[str, list[str]] = {}
    for ind, grp in groups.items():
        up = grp[
            ~grp["is_total"] & grp["locality"].ne(UNASSIGNED) & (grp["vs_rest_95"] == "higher")
        ]
        for loc, very in zip(up["locality"], up["vs_rest_998"] == "higher", strict=True):
            higher.setdefault(loc, []).append(label[ind])
            if very:
                strongly.setdefault(loc, []).append(label[ind])
    if len(higher) > SENTENCE_LIMIT:
        # A sentence per locality would bury the summary (hundreds, for a region): say how many,
        # and name those higher on the most indicators; the rates table marks every one.
        most = sorted(higher.items(), key=lambda kv: -len(kv[1]))[:5]
        named = _join([f"{loc} ({len(items)})" for loc, items in most])
        places = table.loc[~table["is_total"], "locality"]
        n_loc = int(places[places != UNASSIGNED].nunique())
        out.append(
            f"{len(higher):,} of {n_loc:,} localities had a significantly higher rate than "
            f"{rest} (95% level) for at least one indicator; "
            f"{len(strongly):,} of them also at the 99.8% level. Higher on the most indicators: "
            f"{named}. The rates table marks each with ▲."
        )
        higher_sentences: dict[str, list[str]] = {}
    else:
        higher_sentences = higher
    for loc, items in higher_sentences.items():
        sentence = (
            f"{loc} had a significantly higher rate than {rest} (95% level) for {_join(items)}"
        )
        also = strongly.get(loc, [])
        if also and len(also) == len(items):
            sentence += ", all of them also at the 99.8% level"
        elif also:
            sentence += f"; of these, {_join(also)} also at the 99.8% level"
        out.append(sentence + ".")
    compared = {
        str(v)
        for grp in groups.values()
        for v in grp["vs_rest_95"]
        if v in ("higher", "similar", "lower")
    }
    if not higher and compared:
        out.append(f"No locality had a significantly higher rate than {rest}.")
    elif not compared:
        out.append(
            f"No rate could be compared with {rest} (no denominator, or the "
            "figures needed are suppressed)."
        )
    return out


def findings_markdown(table: pd.DataFrame, status: str = "") -> str:
    """The findings as a Markdown section (bullets), noting when the data is illustrative and,
    given ``status``, whether it may be published."""
    lines = ["### Findings", ""]
    if status:
        lines += [f"*{status}*", ""]
    if table.attrs.get("illustrative"):
        lines += ["*From illustrative data: these statements describe invented figures.*", ""]
    lines += [f"- {s}" for s in findings(table)]
    return "\n".join(lines) + "\n"
