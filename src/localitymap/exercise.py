"""The exercise: one object that holds what an exercise is made from and makes every output of it
from one publishable view.

It reads the inputs (ward register or boundaries, indicator data, scheme, population, catalogue
with the exercise file's overrides), rolls them up, decides **once** which cells may be published
under the exercise's disclosure policy (wards, localities and the borough total of every
indicator, together), and hands every output — rollup tables, rates, maps and funnels at both
levels, findings, composite, comparisons, the report — its figures from that one protection. So
no combination of outputs of one exercise reveals more than each alone.

Every command of the CLI goes through it; a notebook needs three lines::

    from localitymap import Exercise
    ex = Exercise.load()                    # localitymap.toml here, else the bundled exercise
    ex.write_report("report.docx")          # protected (threshold5) unless the file says otherwise

The library never prints: warnings and notes about the inputs are in :attr:`Exercise.notes`.

>>> ex = Exercise(scheme="icn6", period="2019-02", disclosure="threshold5")
>>> t = ex.table()
>>> int(t[(t.indicator == "cp_plans") & t.is_total]["count"].iloc[0])
405
>>> ex.status_line().split(".")[0]
'For general release'
"""

from __future__ import annotations

import dataclasses
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from localitymap.errors import InputError
from localitymap.inputs.exercise_file import (
    ExerciseSettings,
    find_exercise_file,
    read_exercise,
)

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.errors import Problem
    from localitymap.inputs.indicators import Indicator, IndicatorData
    from localitymap.inputs.schemes import Scheme
    from localitymap.inputs.wards import WardRegister
    from localitymap.model.geo import Boundaries
    from localitymap.publication.disclosure import Policy, Protection
    from localitymap.publication.report import Document

PUBLIC_DEFAULT = "threshold5"


class Exercise:
    """An exercise's inputs and every output made from them (see the module docstring).

    Settings come from an :class:`~localitymap.inputs.exercise_file.ExerciseSettings` (usually
    read from ``localitymap.toml``) with keyword overrides on top; ``default_disclosure`` is the
    policy used when neither states one (``none`` for internal tables; commands that make
    publication outputs pass ``threshold5``).

    >>> Exercise(scheme="areas3", period="2020-02").scheme.name
    'Locality areas (three areas)'
    """

    def __init__(
        self,
        settings: ExerciseSettings | None = None,
        *,
        default_disclosure: str = "none",
        **overrides: Any,
    ) -> None:
        base = (settings or ExerciseSettings()).merged(**overrides)
        if base.disclosure is None:
            base = base.merged(disclosure=default_disclosure)
        self.settings = base
        #: Warnings and notes about the inputs, as :class:`~localitymap.errors.Problem` rows.
        self.notes: list[Problem] = []

    @classmethod
    def load(
        cls, path: Path | str | None = None, *, default_disclosure: str = "none", **overrides: Any
    ) -> Exercise:
        """The exercise of an exercise file (default: ``localitymap.toml`` in the working folder,
        else the bundled Croydon exercise), with keyword overrides.

        >>> Exercise.load(None, scheme="icn6").settings.scheme
        'icn6'
        """
        found = Path(path) if path is not None else find_exercise_file()
        settings = read_exercise(found) if found is not None else ExerciseSettings()
        return cls(settings, default_disclosure=default_disclosure, **overrides)

    def at_period(self, period: str | None, data: Path | None = None) -> Exercise:
        """The same exercise for another period (same scheme, policy, register and catalogue);
        ``data`` for a period held in another file (``period`` None: its latest). Notes about
        its inputs join this exercise's."""
        other = Exercise(
            dataclasses.replace(self.settings, period=period, data=data or self.settings.data)
        )
        other.notes = self.notes
        return other

    def periods(self) -> list[str]:
        """The periods up to and including this exercise's, oldest first (in time, as the
        reader orders them; the bundled data: every snapshot)."""
        from localitymap.inputs.indicators import bundled_periods

        every = bundled_periods() if self.settings.data is None else list(self.data.all_periods)
        mine = self.data.period
        return every[: every.index(mine) + 1] if mine in every else [p for p in every if p]

    def previous_period(self) -> str | None:
        """The period to compare with: the exercise file's ``previous_period``, else the one
        before this exercise's in the data."""
        earlier = self.periods()[:-1]
        return self.settings.previous_period or (earlier[-1] if earlier else None)

    # -- inputs ----------------------------------------------------------------------------

    @cached_property
    def policy(self) -> Policy:
        """The disclosure policy every output of this exercise is made under (decided once, like
        the protection that applies it)."""
        from localitymap.publication.disclosure import get_policy

        return get_policy(self.settings.disclosure or "none")

    @cached_property
    def boundaries(self) -> Boundaries:
        """Ward boundaries (bundled Croydon wards unless the exercise names a file). An exercise
        with another authority's register and no boundary file has none: an error saying so.
        """
        from localitymap.model.geo import load_boundaries

        s = self.settings
        reg = self._given_register()
        if not self.has_boundaries:
            raise InputError(
                f"no ward boundaries for the register's wards ({reg.lad_name if reg else ''}): "
                "the bundled boundaries are Croydon's",
                hint="give the boundary file with --wards FILE (or wards = in localitymap.toml); "
                "`localitymap wards fetch` downloads an authority's wards",
            )
        b = load_boundaries(
            s.wards, code_column=s.ward_code_column, name_column=s.ward_name_column, register=reg
        )
        self.notes += [p for p in b.report.problems if p.severity != "error"]
        return b

    @cached_property
    def has_boundaries(self) -> bool:
        """Whether the exercise has ward boundaries for its wards: a boundary file, or the
        bundled Croydon wards when the register (if any) is theirs."""
        from localitymap.inputs.wards import load_register

        if self.settings.wards is not None or self.settings.register is None:
            return True
        reg = self._given_register()
        return reg is not None and set(reg.codes) <= set(load_register().codes)

    def _given_register(self) -> WardRegister | None:
        from localitymap.inputs.wards import load_register

        return load_register(self.settings.register) if self.settings.register else None

    @cached_property
    def register(self) -> WardRegister:
        """The ward register: from the boundaries when the exercise names a boundary file."""
        from localitymap.inputs.wards import load_register

        if self.settings.wards is not None:
            return self.boundaries.register
        return self._given_register() or load_register()

    @cached_property
    def catalogue(self) -> list[Indicator]:
        """The indicator catalogue with the exercise file's labels and denominators applied."""
        from localitymap.inputs.indicators import Indicator, load_catalogue

        found = load_catalogue(self.settings.catalogue)
        by_id = {i.id: i for i in found}
        for ind_id, spec in self.settings.indicators.items():
            if ind_id in by_id:
                by_id[ind_id] = dataclasses.replace(by_id[ind_id], **spec)
            else:
                if "label" not in spec:
                    raise InputError(
                        f"exercise file: [indicators.{ind_id}] needs a label",
                        hint='give label = "..." (what a reader should see)',
                    )
                by_id[ind_id] = Indicator(id=ind_id, **spec)
        return list(by_id.values())

    @cached_property
    def data(self) -> IndicatorData:
        """The ward counts of the exercise's period."""
        from localitymap.inputs.indicators import read_indicators

        s = self.settings
        ind = read_indicators(
            s.data,
            register=self.register,
            catalogue=self.catalogue,
            period=s.period,
            sheet=s.sheet,
            ward_column=s.ward_column,
            suppressed_range=parse_range(s.suppressed_range),
        )
        self.notes += [p for p in ind.report.problems if p.severity != "error"]
        return ind

    @cached_property
    def scheme(self) -> Scheme:
        """The locality scheme."""
        from localitymap.inputs.schemes import load_scheme

        if not self.settings.scheme:
            raise InputError(
                "no locality scheme given",
                hint="give --scheme (icn6, areas3 or a file), or scheme = in localitymap.toml",
            )
        from localitymap.inputs.schemes import across_authorities

        scheme = load_scheme(self.settings.scheme, self.register)
        self.notes += across_authorities(scheme, self.register).problems
        return scheme

    @cached_property
    def population(self) -> pd.DataFrame | None:
        """Ward populations by age band, or None when the exercise has none (then no rates)."""
        from localitymap.inputs.wards import load_register
        from localitymap.statistics.rates import read_population

        if self.settings.population is None and self.register.codes != load_register().codes:
            return None  # the bundled population is Croydon's: it cannot serve other wards
        return read_population(self.settings.population, register=self.register)

    @property
    def per(self) -> float:
        """Rates per this many people."""
        return float(self.settings.per or 10_000)

    # -- the model and its one protection ----------------------------------------------------

    @cached_property
    def counts(self) -> pd.DataFrame:
        """The rollup with every count as it is. **Internal**: outputs use :meth:`table`."""
        from localitymap.model.rollup import rollup

        s = self.settings
        table = rollup(
            self.data,
            self.scheme,
            allow_unassigned=bool(s.allow_unassigned),
            allow_missing_wards=bool(s.allow_missing_wards),
        )
        table.attrs.update(self._public_attrs())
        return table

    def _public_attrs(self) -> dict[str, Any]:
        s = self.settings
        out: dict[str, Any] = {}
        if s.authority:
            out["authority_name"] = s.authority
        if s.title:
            out["title"] = s.title
        out["publication"] = dict(s.publication)
        return out

    @cached_property
    def protection(self) -> Protection:
        """The one disclosure decision of this exercise: every cell of every indicator at ward,
        locality and borough level, decided together (see
        :func:`localitymap.publication.disclosure.protect`)."""
        from localitymap.publication.disclosure import protect

        return protect(self.counts, self.policy, data=self.data, scheme=self.scheme)

    @cached_property
    def _public(self) -> pd.DataFrame:
        from localitymap.publication.disclosure import public_table

        return public_table(self.counts, self.protection)

    def table(self, *, rates: bool = False, indicators: list[str] | None = None) -> pd.DataFrame:
        """The publishable rollup (with rates when asked and a population is available): hidden
        counts blank, shares and ranks recomputed from what is published. Under the policy
        ``none`` it holds every count and says NOT FOR PUBLICATION in its attrs."""
        table = self._rated if rates else self._public
        if indicators:
            from localitymap.inputs.indicators import find_indicator

            keep = [find_indicator(self.data.indicators, name).id for name in indicators]
            table = table[table["indicator"].isin(keep)].reset_index(drop=True)
            table.attrs = dict((self._rated if rates else self._public).attrs)
        return table

    @cached_property
    def _rated(self) -> pd.DataFrame:
        from localitymap.statistics.rates import add_rates

        pop = self.population
        if pop is None:
            out = self._public.copy()
            out.attrs = {**self._public.attrs, "rates_unavailable": self.no_rates_reason()}
            return out
        # The exercise file's denominators are in the catalogue the data was read with.
        return add_rates(self._public, self.data, self.scheme, pop, multiplier=self.per)

    def no_rates_reason(self) -> str:
        """Why rates cannot be worked out ("" when they can)."""
        if self.population is None:
            return (
                "Rates per child could not be worked out: the exercise has no population "
                "denominator for these wards (give one with --population or population = in "
                "localitymap.toml)."
            )
        return ""

    @cached_property
    def ward_values(self) -> pd.DataFrame:
        """Ward figures as they may be published, shaped like ``data.values`` (``low``/``high``
        as published, NaN where hidden; ``status`` ``value``, ``rounded``, ``suppressed`` or
        ``not available``; ``text`` the published cell)."""
        from localitymap.publication.disclosure import public_wards

        pub = public_wards(self.protection, self.data)
        v = self.data.values[["ward_code", "ward_name", "indicator", "period"]].merge(
            pub[["ward_code", "indicator", "text", "low", "high", "status"]],
            on=["ward_code", "indicator"],
            how="inner",
        )
        return v

    # -- publication outputs --------------------------------------------------------------------

    @property
    def public(self) -> bool:
        """Whether this exercise's outputs may be published (a policy other than ``none``)."""
        return self.policy.public

    def status_line(self) -> str:
        """The sentence every output carries about whether it may be published."""
        from localitymap.publication.disclosure import publication_status

        return publication_status(self.policy)

    def findings(self, *, rates: bool = True) -> list[str]:
        """The plain-English findings, from the publishable view."""
        from localitymap.publication.findings import findings

        table = self.table(rates=rates)
        return findings(table)

    def report(self, *, title: str | None = None, rates: bool = True) -> Document:
        """The committee report as content (render it with :meth:`write_report` or
        :func:`localitymap.renderers.documents.render_document`)."""
        from localitymap.publication.report import build_report
        from localitymap.renderers.figures import render_map

        table = self.table(rates=rates)

        def draw_map(indicator: str, fmt: str) -> bytes:
            return render_map(
                table, self.data, self.scheme, self.boundaries, indicator, fmt=fmt, dpi=150,
                ward_values=self.ward_values, status=self.status_line(),
            )  # fmt: skip

        if not self.has_boundaries:
            from localitymap.errors import Problem

            self.notes.append(Problem(
                "the report has no maps: there are no ward boundaries for the register's wards",
                hint="give them with --wards FILE (`localitymap wards fetch` downloads them)",
                severity="note",
            ))  # fmt: skip
        return build_report(
            table, self.data, self.scheme, self.protection,
            self.boundaries if self.has_boundaries else None,
            title=title or self.settings.title,
            draw_map=draw_map if self.has_boundaries else None,
        )  # fmt: skip

    def write_report(
        self, path: Path | str, *, title: str | None = None, rates: bool = True,
        force: bool = False,
    ) -> Path:  # fmt: skip
        """Write the report as .docx, .html or .xlsx (by the file's suffix), atomically and never
        over an existing file unless ``force``."""
        from localitymap.outputs import write_atomic
        from localitymap.renderers.documents import render_document

        path = Path(path)
        fmt = REPORT_SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            raise InputError(f"{path.name}: use a .docx, .html or .xlsx name for a report")
        payload = render_document(self.report(title=title, rates=rates), fmt)
        write_atomic(path, payload, force=force)
        return path

    def map(
        self, indicator: str, *, level: Literal["locality", "ward"] = "locality",
        value: Literal["count", "share"] = "count", fmt: str = "png", dpi: int = 200,
    ) -> tuple[bytes, pd.DataFrame]:  # fmt: skip
        """A map (file bytes) and the table of the figures it shows, both from the publishable
        view."""
        from localitymap.renderers.figures import map_figures, render_map

        table = self.table()
        payload = render_map(
            table, self.data, self.scheme, self.boundaries, indicator,
            level=level, value=value, fmt=fmt, dpi=dpi, ward_values=self.ward_values,
            status=self.status_line(),
        )  # fmt: skip
        return payload, map_figures(table, self.ward_values, self.scheme, indicator, level)

    def funnel(
        self, indicator: str, *, level: Literal["locality", "ward"] = "locality",
        fmt: str = "png", dpi: int = 200,
    ) -> tuple[bytes, pd.DataFrame]:  # fmt: skip
        """A funnel plot (file bytes) and the table of its points, from the publishable view."""
        from localitymap.renderers.figures import render_funnel
        from localitymap.statistics.funnel import funnel_table

        table = self._rates_or_raise()
        assert self.population is not None
        payload = render_funnel(
            table, self.data, self.population, indicator, level=level, fmt=fmt, dpi=dpi,
            ward_values=self.ward_values, status=self.status_line(),
        )  # fmt: skip
        figures = funnel_table(
            table, self.data, self.population, indicator, level, ward_values=self.ward_values
        )
        return payload, figures

    def _rates_or_raise(self) -> pd.DataFrame:
        if self.population is None:
            raise InputError(self.no_rates_reason(), hint="a funnel plot needs rates")
        return self.table(rates=True)

    def composite(self, weights: str | Path = "equal", *, basis: str = "share") -> pd.DataFrame:
        """The composite demand index per locality from the publishable view."""
        from localitymap.statistics.composite import composite, load_weights

        table = self._rates_or_raise() if basis == "rate" else self.table()
        return composite(table, load_weights(weights), basis=basis)

    def compare(
        self, before: str, after: str | None = None, *, rates: bool = False,
        indicators: list[str] | None = None, data_after: Path | None = None,
    ) -> pd.DataFrame:  # fmt: skip
        """What changed from ``before`` to ``after`` (default: this exercise's period), each period
        protected under the same policy, changes worked out from published figures only."""
        from localitymap.statistics.compare import compare

        if data_after is not None:  # the later period in a file of its own (None: its latest)
            after_ex = self.at_period(after, data_after)
        elif after is None or after == self.data.period:
            after_ex = self
        else:
            after_ex = self.at_period(after)
        before_ex = self.at_period(before)
        first = before_ex.table(rates=rates, indicators=indicators)
        second = after_ex.table(rates=rates, indicators=indicators)
        history = [first, second]
        if data_after is None:
            end = after_ex.data.period or ""
            series = after_ex.periods()
            if len(series) > 2:
                history = [
                    first if p == before else second if p == end
                    else self.at_period(p).table(rates=rates, indicators=indicators)
                    for p in series
                ]  # fmt: skip
        changes = compare(first, second, history)
        changes.attrs["inputs"] = [*before_ex.input_files(), *after_ex.input_files()]
        return changes

    # -- provenance --------------------------------------------------------------------------

    def input_files(self) -> list[tuple[str, Path]]:
        """Every file this exercise was made from, by role (for manifests)."""
        from localitymap.paths import data_dir

        files: list[tuple[str, Path]] = []
        if self.settings.path is not None:
            files.append(("exercise", self.settings.path))
        files += [("data", p) for p in self.data.paths]
        files += [("scheme", p) for p in self.scheme.paths]
        if self.data.register.path is not None:
            files.append(("ward register", self.data.register.path))
        if "boundaries" in self.__dict__ and self.boundaries.path is not None:
            files.append(("boundaries", self.boundaries.path))
        pop = self.__dict__.get("population")
        if pop is not None and pop.attrs.get("path"):
            files.append(("population", Path(pop.attrs["path"])))
        files.append(
            ("catalogue", self.settings.catalogue or data_dir() / "indicators" / "catalogue.csv")
        )
        return files


REPORT_SUFFIXES = {".docx": "docx", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def parse_range(text: str | None) -> tuple[int, int | None]:
    """What a bare suppression marker stands for: ``"1-4"`` -> (1, 4); ``"1-"`` -> (1, None);
    None -> (0, None), unknown.

    >>> parse_range("1-4"), parse_range(None)
    ((1, 4), (0, None))
    """
    if not text:
        return (0, None)
    lo, _, hi = text.replace("–", "-").partition("-")
    try:
        low = int(lo)
        high = int(hi) if hi.strip() else None
    except ValueError:
        raise InputError(f"suppressed range {text!r}", hint="give a range such as 1-4") from None
    if low < 0 or (high is not None and high < low):
        raise InputError(
            f"suppressed range {text!r}", hint="the range must be 0 or more, low to high"
        )
    return (low, high)
