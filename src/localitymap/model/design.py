"""Designing localities: k contiguous groups of wards that balance demand, and what-if moves.

**Algorithm** (written here, not taken from a library; see the note below). Wards are nodes of a
graph whose edges are the borders they share (of ``min_shared`` metres or more, as
``schemes check`` uses: :func:`localitymap.model.geo.shared_borders`). :func:`design`:

1. *Seeds*: a first ward drawn at random (from the seeded generator), then each further seed the
   ward farthest, in border crossings, from the seeds so far (ties drawn at random), so the k
   localities start spread over the borough.
2. *Growth*: the locality with the least demand so far that still touches an unplaced ward takes
   one (the one sharing most borders with it; with ``compact``, the one nearest its centre), until
   every ward is placed. Each locality is connected by construction.
3. *Local search*: a ward on a locality's edge moves to the neighbouring locality when that lowers
   the objective and leaves its old locality connected and not empty; wards are tried in a random
   order, repeatedly, until no move helps. The objective is the squared coefficient of variation
   of locality demand, plus, with ``compact``, a weight times the localities' moment of inertia
   (area-weighted squared distance of their wards from their centre, as a share of the
   borough's), which favours round localities over long ones.
4. *Restarts*: steps 1 to 3 run ``restarts`` times from different seeds; the best result is kept.
   The same ``seed`` always gives the same scheme.

**Why not PySAL's spopt.** spopt 0.7 was installed and tried on the bundled Croydon wards: its
regionalisation methods (SKATER, AZP, region k-means, max-p) make regions whose wards are *alike*,
or that each reach a *floor*; none balances the regions' totals, which is what pysal/spopt#274
asks for and is still open. On CP plans + looked-after children (February 2020), SKATER's six
regions ranged 6.0 : 1 in demand, AZP's about 5 : 1 and region k-means' 2.9 : 1, against 2.6 : 1 for
``icn6`` and 1.07 : 1 for this module. spopt would also add scikit-learn, PuLP, networkx and
libpysal (about 120 MB) and 1.6 s of import time. With a borough's few dozen wards the search
above runs in a fraction of a second, and is tested here
(``benchmarks/spopt_comparison.py`` repeats the comparison where spopt is installed).

>>> from localitymap import read_indicators
>>> from localitymap.model.geo import load_boundaries
>>> b = load_boundaries()
>>> demand = ward_demand(read_indicators(period="2019-02"), ["cp_plans", "lac"])
>>> proposed = design(demand, adjacency(b), 6, seed=1)
>>> len(proposed.localities), sum(len(w) for w in proposed.localities.values())
(6, 28)
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from localitymap.errors import InputError, SchemeError
from localitymap.inputs.schemes import Scheme

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.inputs.indicators import IndicatorData
    from localitymap.inputs.wards import WardRegister
    from localitymap.model.geo import Boundaries

ADVICE = "Advice for planning, not a decision."
#: Weight of compactness against balance (squared CV) in the objective, with ``compact``.
COMPACT_WEIGHT = 0.05
DEFAULT_RESTARTS = 40


@dataclass(frozen=True)
class Graph:
    """Which wards share a border, and (for compactness) each ward's centre and area."""

    neighbours: dict[str, frozenset[str]]
    centres: dict[str, tuple[float, float]] | None = None
    areas: dict[str, float] | None = None
    min_shared: float = 10.0


def adjacency(boundaries: Boundaries, min_shared: float = 10.0) -> Graph:
    """The ward graph of a boundary file: borders of ``min_shared`` metres or more join wards
    (corner contacts do not), exactly as ``schemes check`` judges contiguity."""
    from localitymap.model.geo import shared_borders

    frame = boundaries.frame
    nb: dict[str, set[str]] = {c: set() for c in frame.index}
    for (a, b), length in shared_borders(frame).items():
        if length >= min_shared:
            nb[a].add(b)
            nb[b].add(a)
    cents = frame.geometry.centroid
    centres = {c: (float(p.x), float(p.y)) for c, p in zip(frame.index, cents, strict=True)}
    areas = {c: float(a) for c, a in zip(frame.index, frame.geometry.area, strict=True)}
    return Graph({c: frozenset(v) for c, v in nb.items()}, centres, areas, min_shared)


def ward_demand(
    data: IndicatorData,
    indicators: Sequence[str],
    weights: Mapping[str, float] | None = None,
    *,
    basis: str = "count",
    values: pd.DataFrame | None = None,
) -> pd.Series:
    """Each ward's demand: the weighted sum of the chosen indicators' counts (``basis="count"``)
    or, as a composite, the weighted mean of each indicator's ward share of the borough
    (``basis="share"``). A suppressed count stands at the middle of its range (recorded in
    ``.attrs["suppressed"]``); an unbounded one stops the run, as balancing it is guesswork.

    ``values`` replaces ``data.values`` with the ward figures as an exercise may publish them
    (:attr:`localitymap.exercise.Exercise.ward_values`): a cell hidden there stops the run, so
    nothing shown is worked out from a hidden count.
    """
    import pandas as pd

    if not indicators:
        raise InputError("no indicators to balance", hint="e.g. --balance cp_plans,lac")
    values = data.values if values is None else values
    present = list(dict.fromkeys(values["indicator"]))
    missing = [i for i in indicators if i not in present]
    if missing:
        raise InputError(
            f"indicator(s) {', '.join(missing)} not in the data",
            hint=f"choose from {', '.join(present)}",
        )
    weights = dict(weights or {})
    codes = data.wards()
    total = pd.Series(0.0, index=codes)
    suppressed: list[str] = []
    for ind in indicators:
        g = values[values["indicator"] == ind].set_index("ward_code").reindex(codes)
        hidden = g.index[g["low"].isna()].tolist()
        if hidden:
            names = ", ".join(data.register.name_of(c) for c in hidden[:5])
            raise InputError(
                f"{ind}: ward(s) {names} are hidden under the disclosure policy, so locality "
                "figures made from them could not be published",
                hint="balance other indicators, or run internally with --disclosure none "
                "(not for publication)",
            )
        unbounded = g.index[g["high"].isna()].tolist()
        if unbounded:
            names = ", ".join(data.register.name_of(c) for c in unbounded[:5])
            raise InputError(
                f"{ind}: ward(s) {names} have suppressed counts with no upper limit",
                hint="state what the markers stand for with --suppressed-range, e.g. 1-4",
            )
        mid = (g["low"] + g["high"]) / 2
        suppressed += [
            f"{data.register.name_of(c)} ({ind})" for c in g.index[g["low"] != g["high"]]
        ]
        w = float(weights.get(ind, 1.0))
        if basis == "share":
            s = mid.sum()
            total += w * (mid / s if s > 0 else 0.0)
        else:
            total += w * mid
    if basis == "share":
        wsum = sum(float(weights.get(i, 1.0)) for i in indicators)
        total = total / wsum if wsum > 0 else total
    total.attrs.update(
        {
            "indicators": list(indicators),
            "weights": {i: float(weights.get(i, 1.0)) for i in indicators},
            "basis": basis,
            "suppressed": suppressed,
            "period": data.period,
            "illustrative": data.illustrative,
        }
    )
    return total


# ----------------------------------------------------------------------------- balance figures


def balance(totals: Sequence[float]) -> dict[str, float]:
    """Max/min ratio and coefficient of variation (population standard deviation over the mean)
    of locality demands.

    >>> b = balance([100, 120, 80])
    >>> round(b["max_min_ratio"], 2), round(b["cv"], 3)
    (1.5, 0.163)
    """
    n = len(totals)
    mean = sum(totals) / n if n else 0.0
    var = sum((t - mean) ** 2 for t in totals) / n if n else 0.0
    low, high = (min(totals), max(totals)) if n else (0.0, 0.0)
    return {
        "localities": float(n),
        "max": float(high),
        "min": float(low),
        "max_min_ratio": high / low if low > 0 else math.inf,
        "cv": math.sqrt(var) / mean if mean > 0 else 0.0,
    }


def locality_totals(scheme: Scheme, demand: Mapping[str, float]) -> dict[str, float]:
    """Demand per locality of a scheme (wards missing from ``demand`` count as unknown: error)."""
    demand = _as_dict(demand)
    out = {}
    for loc, codes in scheme.localities.items():
        absent = [c for c in codes if c not in demand]
        if absent:
            raise InputError(
                f"locality {loc!r}: no demand figure for ward(s) {', '.join(absent)}",
                hint="give data for every ward of the scheme",
            )
        out[loc] = float(sum(demand[c] for c in dict.fromkeys(codes)))
    return out


# ----------------------------------------------------------------------------- the search


def _as_dict(demand: Mapping[str, float] | pd.Series) -> dict[str, float]:
    """Ward -> demand from a dict or a Series (iterating a Series gives values, not keys)."""
    return {str(k): float(v) for k, v in demand.items()}


def _connected(members: set[str], neighbours: Mapping[str, frozenset[str]]) -> bool:
    if not members:
        return False
    start = next(iter(members))
    seen = {start}
    stack = [start]
    while stack:
        for n in neighbours[stack.pop()] & members:
            if n not in seen:
                seen.add(n)
                stack.append(n)
    return len(seen) == len(members)


def components(codes: Sequence[str], graph: Graph) -> list[list[str]]:
    """Connected groups of ``codes`` in the ward graph (largest first)."""
    todo = set(codes)
    parts = []
    for start in codes:
        if start not in todo:
            continue
        part, stack = [], [start]
        todo.discard(start)
        while stack:
            w = stack.pop()
            part.append(w)
            for n in graph.neighbours[w] & todo:
                todo.discard(n)
                stack.append(n)
        parts.append(sorted(part, key=list(codes).index))
    return sorted(parts, key=len, reverse=True)


class _Search:
    """One design problem: wards, demand, graph, k and the objective."""

    def __init__(self, demand: Mapping[str, float], graph: Graph, k: int, compact: bool):
        self.wards = sorted(demand)
        self.demand = {w: float(demand[w]) for w in self.wards}
        self.nb = graph.neighbours
        self.k = k
        self.target = sum(self.demand.values()) / k
        self.compact = compact and graph.centres is not None
        if self.compact:
            assert graph.centres is not None
            self.xy = graph.centres
            self.area = graph.areas or dict.fromkeys(self.wards, 1.0)
            self.borough_moment = self._moment(self.wards) or 1.0

    def _moment(self, members: Sequence[str] | set[str]) -> float:
        a = sum(self.area[w] for w in members)
        if a == 0:
            return 0.0
        cx = sum(self.area[w] * self.xy[w][0] for w in members) / a
        cy = sum(self.area[w] * self.xy[w][1] for w in members) / a
        return sum(self.area[w] * ((self.xy[w][0] - cx) ** 2 + (self.xy[w][1] - cy) ** 2)
                   for w in members)  # fmt: skip

    def score(self, regions: list[set[str]], totals: list[float]) -> float:
        t = self.target or 1.0
        value = sum(((x - t) / t) ** 2 for x in totals) / self.k
        if self.compact:
            value += COMPACT_WEIGHT * sum(self._moment(r) for r in regions) / self.borough_moment
        return value

    def seeds(self, rng: random.Random) -> list[str]:
        chosen = [rng.choice(self.wards)]
        while len(chosen) < self.k:
            dist = self._hops(chosen)
            far = max(d for w, d in dist.items() if w not in chosen)
            pool = sorted(w for w, d in dist.items() if d == far and w not in chosen)
            chosen.append(rng.choice(pool))
        return chosen

    def _hops(self, sources: list[str]) -> dict[str, int]:
        dist = dict.fromkeys(sources, 0)
        queue = deque(sources)
        while queue:
            w = queue.popleft()
            for n in sorted(self.nb[w]):
                if n not in dist:
                    dist[n] = dist[w] + 1
                    queue.append(n)
        return dist

    def grow(self, seeds: list[str], rng: random.Random) -> list[set[str]]:
        regions = [{s} for s in seeds]
        owner = {s: i for i, s in enumerate(seeds)}
        totals = [self.demand[s] for s in seeds]
        while len(owner) < len(self.wards):
            frontier = {
                i: sorted({n for w in r for n in self.nb[w] if n not in owner})
                for i, r in enumerate(regions)
            }
            growable = [i for i in range(self.k) if frontier[i]]
            i = min(growable, key=lambda j: (totals[j], rng.random()))
            if self.compact:
                cx, cy = self._centre(regions[i])
                pick = min(frontier[i], key=lambda w: ((self.xy[w][0] - cx) ** 2
                                                         + (self.xy[w][1] - cy) ** 2, w))  # fmt: skip
            else:
                pick = max(frontier[i], key=lambda w: (len(self.nb[w] & regions[i]), rng.random()))
            regions[i].add(pick)
            owner[pick] = i
            totals[i] += self.demand[pick]
        return regions

    def _centre(self, members: set[str]) -> tuple[float, float]:
        a = sum(self.area[w] for w in members) or 1.0
        return (sum(self.area[w] * self.xy[w][0] for w in members) / a,
                sum(self.area[w] * self.xy[w][1] for w in members) / a)  # fmt: skip

    def improve(self, regions: list[set[str]], rng: random.Random) -> list[set[str]]:
        owner = {w: i for i, r in enumerate(regions) for w in r}
        totals = [sum(self.demand[w] for w in r) for r in regions]
        best = self.score(regions, totals)
        improved = True
        while improved:
            improved = False
            order = list(self.wards)
            rng.shuffle(order)
            for w in order:
                a = owner[w]
                if len(regions[a]) == 1:
                    continue
                for b in sorted({owner[n] for n in self.nb[w]} - {a}):
                    regions[a].discard(w)
                    if not _connected(regions[a], self.nb):
                        regions[a].add(w)
                        continue
                    regions[b].add(w)
                    totals[a] -= self.demand[w]
                    totals[b] += self.demand[w]
                    value = self.score(regions, totals)
                    if value < best - 1e-12:
                        best, owner[w], improved = value, b, True
                        break
                    regions[b].discard(w)
                    regions[a].add(w)
                    totals[a] += self.demand[w]
                    totals[b] -= self.demand[w]
        return regions


def partition(
    demand: Mapping[str, float],
    graph: Graph,
    k: int,
    *,
    seed: int = 0,
    compact: bool = False,
    restarts: int = DEFAULT_RESTARTS,
) -> list[list[str]]:
    """k connected groups of wards balancing ``demand`` (see the module's algorithm), each
    sorted, the groups in no particular order. The same inputs and ``seed`` give the same result.
    """
    demand = _as_dict(demand)
    wards = sorted(demand)
    unknown = [w for w in wards if w not in graph.neighbours]
    if unknown:
        raise InputError(f"ward(s) {', '.join(unknown)} have no boundary", hint="check --wards")
    if not 1 <= k <= len(wards):
        raise InputError(
            f"k = {k} localities from {len(wards)} wards", hint="choose 1 to the wards"
        )
    sub = Graph({w: graph.neighbours[w] & set(wards) for w in wards}, graph.centres, graph.areas)
    parts = components(wards, sub)
    if len(parts) > 1:
        raise InputError(
            f"the wards form {len(parts)} separate groups (no shared borders between them), so "
            "no set of contiguous localities covers them",
            hint="lower --min-shared, or check the boundary file",
        )
    search = _Search(demand, sub, k, compact)
    rng = random.Random(seed)
    best: tuple[float, list[list[str]]] | None = None
    for _ in range(max(1, restarts)):
        regions = search.improve(search.grow(search.seeds(rng), rng), rng)
        totals = [sum(search.demand[w] for w in r) for r in regions]
        value = search.score(regions, totals)
        groups = sorted(sorted(r) for r in regions)
        if best is None or value < best[0] - 1e-12:
            best = (value, groups)
    assert best is not None
    return best[1]


def _names(groups: list[list[str]], current: Scheme | None,
           demand: Mapping[str, float]) -> list[str]:  # fmt: skip
    """Name each group after the current locality it shares most demand with (a one-to-one
    matching, so names carry over where they can); the rest become ``Locality N``."""
    if current is None or not current.localities:
        return [f"Locality {i + 1}" for i in range(len(groups))]
    old = list(current.localities)
    where = current.locality_of()
    overlap = [[0.0] * len(old) for _ in groups]
    for i, g in enumerate(groups):
        for w in g:
            if w in where:
                # ward counts break ties where demand is zero
                overlap[i][old.index(where[w])] += demand.get(w, 0.0) + 1e-6
    names = [old[c] if c is not None else "" for c in _matching(overlap)]
    n = 1
    for i in range(len(groups)):
        while not names[i]:
            candidate = f"Locality {n}"
            n += 1
            if candidate not in names and candidate not in old:
                names[i] = candidate
    return names


def _matching(weights: list[list[float]]) -> list[int | None]:
    """Each row matched to a distinct column (or none) maximising the total weight of positive
    entries: exact by dynamic programming over used columns for up to 16 columns (scipy's
    assignment solver would cost 0.6 s of import here), largest-first greedy beyond."""
    rows, cols = len(weights), len(weights[0]) if weights else 0
    if cols > 16:
        out: list[int | None] = [None] * rows
        used: set[int] = set()
        for v, r, c in sorted((-weights[r][c], r, c) for r in range(rows) for c in range(cols)):
            if -v > 0 and out[r] is None and c not in used:
                out[r] = c
                used.add(c)
        return out
    best: dict[int, tuple[float, tuple[int | None, ...]]] = {0: (0.0, ())}
    for r in range(rows):
        nxt: dict[int, tuple[float, tuple[int | None, ...]]] = {}
        for mask, (value, picks) in best.items():
            options: list[tuple[int, float, int | None]] = [(mask, value, None)]
            options += [(mask | 1 << c, value + weights[r][c], c) for c in range(cols)
                        if not mask >> c & 1 and weights[r][c] > 0]  # fmt: skip
            for m, v, c in options:
                if m not in nxt or v > nxt[m][0] + 1e-12:
                    nxt[m] = (v, (*picks, c))
        best = nxt
    return list(max(best.values(), key=lambda vp: vp[0])[1])


def design(
    demand: Mapping[str, float],
    graph: Graph,
    k: int,
    *,
    seed: int = 0,
    compact: bool = False,
    restarts: int = DEFAULT_RESTARTS,
    current: Scheme | None = None,
    register: WardRegister | None = None,
    scheme_id: str | None = None,
) -> Scheme:
    """A proposed scheme of ``k`` contiguous localities balancing ``demand``, named after the
    ``current`` scheme's localities where they overlap most, ordered as that scheme's."""
    demand = _as_dict(demand)
    groups = partition(demand, graph, k, seed=seed, compact=compact, restarts=restarts)
    names = _names(groups, current, demand)
    order_of = {c: i for i, c in enumerate(register.codes)} if register else {}
    ranked = list(current.localities) if current else []
    pairs = sorted(
        zip(names, groups, strict=True),
        key=lambda p: (ranked.index(p[0]) if p[0] in ranked else len(ranked), p[0]),
    )
    localities = {
        name: tuple(sorted(g, key=lambda c: (order_of.get(c, 0), c))) for name, g in pairs
    }
    sid = scheme_id or f"proposed{k}"
    what = "compact, " if compact else ""
    return Scheme(
        id=sid,
        name=f"Proposed {k} localities ({what}balanced by localitymap design, seed {seed})",
        localities=localities,
        source=f"<{sid}>",
        register=current.register if current else None,
        authority=current.authority if current else (register.lad_code if register else None),
    )


# ----------------------------------------------------------------------------- comparison


def compare(
    current: Scheme,
    proposed: Scheme,
    demand: Mapping[str, float],
    register: WardRegister | None = None,
) -> tuple[pd.DataFrame, dict[str, dict[str, float]], pd.DataFrame]:
    """Side by side: per locality (by name) wards and demand in each scheme; the balance figures
    of each (:func:`balance`); and the wards that moved (code, name, from, to)."""
    import pandas as pd

    cur, new = locality_totals(current, demand), locality_totals(proposed, demand)
    names = list(dict.fromkeys([*current.localities, *proposed.localities]))
    rows = []
    for loc in names:
        rows.append(
            {
                "locality": loc,
                "wards_current": len(set(current.localities.get(loc, ()))),
                "demand_current": cur.get(loc, math.nan),
                "wards_proposed": len(set(proposed.localities.get(loc, ()))),
                "demand_proposed": new.get(loc, math.nan),
            }
        )
    table = pd.DataFrame(rows)
    table["change"] = table["demand_proposed"].fillna(0) - table["demand_current"].fillna(0)
    stats = {"current": balance(list(cur.values())), "proposed": balance(list(new.values()))}
    was, now = current.locality_of(), proposed.locality_of()
    moved = [
        (
            c,
            register.name_of(c) if register and c in register else c,
            was.get(c, ""),
            now.get(c, ""),
        )
        for c in (register.codes if register else sorted(set(was) | set(now)))
        if was.get(c) != now.get(c)
    ]
    moved_frame = pd.DataFrame(moved, columns=["ward_code", "ward_name", "from", "to"])
    return table, stats, moved_frame


# ----------------------------------------------------------------------------- what-if moves


def parse_move(text: str, scheme: Scheme, register: WardRegister) -> tuple[str, str]:
    """``"Thornton Heath=North West"`` -> (ward code, locality), both checked."""
    ward, sep, loc = text.partition("=")
    if not sep or not ward.strip() or not loc.strip():
        raise InputError(
            f"move {text!r}: write it as WARD=LOCALITY", hint='e.g. "Waddon=South West"'
        )
    code = register.match(ward)
    if code is None:
        msg, hint = register.unknown_ward_problem(ward)
        raise InputError(f"move {text!r}: {msg}", hint=hint)
    from localitymap.inputs.wards import normalise_name

    by_norm = {normalise_name(name): name for name in scheme.localities}
    target = by_norm.get(normalise_name(loc))
    if target is None:
        raise InputError(
            f"move {text!r}: {scheme.id} has no locality {loc.strip()!r}",
            hint="choose from " + ", ".join(repr(n) for n in scheme.localities),
        )
    return code, target


def apply_moves(
    scheme: Scheme,
    moves: Sequence[tuple[str, str]],
    graph: Graph,
    register: WardRegister,
    *,
    allow_exclaves: bool = False,
) -> Scheme:
    """The scheme with each (ward, locality) move made. Refuses (SchemeError naming the wards) a
    move set that leaves a locality empty or, unless ``allow_exclaves``, in pieces."""
    from localitymap.errors import Report

    where = scheme.locality_of()
    for code, loc in moves:
        if code not in where:
            raise InputError(f"ward {register.name_of(code)} is in no locality of {scheme.id}")
        where[code] = loc
    members: dict[str, list[str]] = defaultdict(list)
    for code in register.codes:
        if code in where:
            members[where[code]].append(code)
    report = Report()
    for loc in scheme.localities:
        if not members.get(loc):
            report.add(f"locality {loc!r} would have no wards", hint="move fewer wards out of it")
            continue
        parts = components(members[loc], graph)
        if len(parts) > 1 and not allow_exclaves:
            for island in parts[1:]:
                names = ", ".join(register.name_of(c) for c in island)
                report.add(
                    f"locality {loc!r} would not be contiguous: {names} would touch no other ward "
                    f"of {loc!r}",
                    ward=island[0],
                    hint="move a connecting ward too, or allow it with --allow-exclaves",
                )
    if report.errors:
        raise SchemeError(f"the move(s) break {scheme.id}", report=report)
    moved = ", ".join(f"{register.name_of(c)} to {loc}" for c, loc in moves)
    return Scheme(
        id=f"{scheme.id}-whatif",
        name=f"{scheme.name}, with {moved}",
        localities={loc: tuple(members[loc]) for loc in scheme.localities},
        source=f"<{scheme.id} with moves>",
        register=scheme.register,
        authority=scheme.authority,
    )


# ----------------------------------------------------------------------------- scheme files


def _toml_string(text: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(text, ensure_ascii=False)


def scheme_toml(scheme: Scheme, register: WardRegister, notes: Sequence[str] = ()) -> str:
    """The scheme as a TOML file that :func:`~localitymap.inputs.schemes.load_scheme` (and so
    every command's ``--scheme``) reads, with ``notes`` as comment lines at the top."""
    lines = [f"# {line}".rstrip() for note in notes for line in note.splitlines()]
    lines += [
        "",
        f"id = {_toml_string(scheme.id)}",
        f"name = {_toml_string(scheme.name)}",
    ]
    if scheme.authority:
        lines.append(f"authority = {_toml_string(scheme.authority)}")
    if scheme.register:
        lines.append(f"wards = {_toml_string(scheme.register)}")
    for loc, codes in scheme.localities.items():
        key = _toml_string(loc)
        lines += ["", f"[localities.{key}.wards]"]
        lines += [f"{c} = {_toml_string(register.name_of(c))}" for c in codes]
    return "\n".join(lines) + "\n"
