"""The language check: whether a voice answers in the language it was asked for (issues 60 and 68) — per offering and
language asked, the clips the ASR named a language for, those heard as the language asked and those heard as another,
and whether the offering *falls back* (most of its checked clips of the language heard as another) — and every face's
view of it (docs/checks.md#language-check).

A clip's rule is the scorer's (`harness.scoring.language_check`: heard as another language with p >= 0.5 flags the
clip `wrong_language`, stored with the language heard and how sure); this check reads the stored verdicts and never
hears again. An offering falls back for a language when at least ``FALLBACK_SHARE`` of its checked clips of it are
flagged: a voice answering in another language does so on most clips, a stray misheard clip is not a fallback. Where
the shipped language self-test says the ASR model that read a language cannot judge the check for it
(`harness.results.shipped_language_verdicts`), the language is named "not judgeable by" that model and raises
nothing.

The check judges each language of an offering apart (its figures' `part`: the language asked), so its faces say more
than a declared field's pooling can: the module gives each face's view (`OwnViews`). One rule of change, as before it
was declared: a fallback is deterministic, not noise, so one run is enough — `compare --fail-on language` fails NEW
falling back where BASE did not, `history`'s gate the newest run falling back where the run before (of that model and
language) did not or none read it, and `bench run --fail-on language` a run that fell back.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.checks.views import (
    Judged,
    OwnFigures,
    OwnViews,
    PageTable,
    PartsColumn,
    PartSeries,
    RuleView,
    SectionView,
    Shown,
)
from harness.core.checks import Better, ChangeRule, ChangeTest, CheckDeclaration, CheckField, FindingKind, Pooling
from harness.core.flags import Flag
from harness.core.languages import ENGLISH
from harness.results import LanguageVerdicts, RequestRow, json_list, model_name, scored, shipped_language_verdicts

FALLBACK_SHARE = 0.5
# The scorer's flag, named by the flags' one owner; its plain string value, as the store holds it.
WRONG_LANGUAGE = Flag.WRONG_LANGUAGE.value
FALLBACK = "answered in another language than asked"

RULE = (
    "A model falls back for a language when at least half of its checked clips of it are heard as another "
    "language with p >= 0.5 (harness.checks.language_heard): the gate fails when the newest run falls back where "
    "the run before it did not."
)

DECLARATION = CheckDeclaration(
    name="language_heard",
    title="Language check",
    version="1",
    doc="docs/checks.md#language-check",
    fields=(
        CheckField(
            name="checked",
            label="clips checked",
            unit="clips",
            better=Better.NEITHER,
            pooling=Pooling.SUM,
            meaning="The clips of a language other than English the multilingual ASR named a language for.",
        ),
        CheckField(
            name="heard_as_asked",
            label="heard as asked",
            unit="clips",
            better=Better.HIGHER,
            pooling=Pooling.SUM,
            meaning="The checked clips heard as the language asked.",
        ),
        CheckField(
            name="misheard",
            label="heard as another",
            unit="clips",
            better=Better.LOWER,
            pooling=Pooling.SUM,
            meaning="The checked clips flagged wrong_language: heard as another language with p >= 0.5.",
        ),
        CheckField(
            name="heard_share",
            label="heard as asked",
            unit="share",
            better=Better.HIGHER,
            pooling=Pooling.RATIO,
            of=("heard_as_asked", "checked"),
            decimals=2,
            meaning="The share of checked clips heard as the language asked (history's series per language).",
        ),
    ),
    reads=(
        "jobs.language",
        "scores.heard_language",
        "scores.heard_probability",
        "scores.flags_json",
        "scores.asr_model",
    ),
    findings=(
        FindingKind(WRONG_LANGUAGE, "the language the request asked for (heard as another with p >= 0.5)"),
        FindingKind(FALLBACK, "the language the request asked for", named=True),
    ),
    thresholds={"fallback_share": FALLBACK_SHARE},
    change=ChangeRule(
        field="misheard",
        test=ChangeTest.NEWLY,
        relative=0.0,
        name="language",
        case="language check",
        heading="The newest run answered in another language than asked",
    ),
)


@dataclass(frozen=True, slots=True)
class Misheard:
    """One clip heard in another language than asked."""

    item_id: str
    heard: str
    probability: float


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageHeard:
    """One offering's clips of one language asked, as the check reads them."""

    provider: str
    model: str
    language: str
    checked: int
    heard_as_asked: int
    misheard: tuple[Misheard, ...]
    not_judgeable_by: str | None = None  # the ASR model's name where the self-test says it cannot judge the check

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    @property
    def falls_back(self) -> bool:
        """Most checked clips answered in another language (and the check can be trusted for this language)."""
        return (
            self.not_judgeable_by is None and self.checked > 0 and len(self.misheard) >= FALLBACK_SHARE * self.checked
        )

    @property
    def heard_instead(self) -> str:
        """The language most of the misheard clips were heard as ("" when none)."""
        counted = Counter(m.heard for m in self.misheard)
        return counted.most_common(1)[0][0] if counted else ""

    def fallback_line(self) -> str:
        """The failure in one line: who answered what for which language, on how many clips."""
        return (
            f"{self.label} answered in {self.heard_instead} when asked for {self.language}: "
            f"{len(self.misheard)}/{self.checked} clips heard as another language (p >= 0.5)"
        )


def _checked(request: RequestRow) -> bool:
    return request.heard_language is not None and str(request.language or ENGLISH) != ENGLISH


def measure(request: RequestRow) -> ClipCheck:
    """A clip's language as the scorer heard it: checked where the ASR named a language, heard as asked or flagged
    heard as another; nothing for a clip not checked (English, or read before the check)."""
    if not _checked(request):
        return ClipCheck({})
    misheard = WRONG_LANGUAGE in json_list(request.flags)
    asked = str(request.language)
    findings = (
        (
            (
                WRONG_LANGUAGE,
                f"{request.item_id}: asked for {asked}, heard as {request.heard_language} "
                f"(p {float(request.heard_probability or 0.0):.2f})",
            ),
        )
        if misheard
        else ()
    )
    return ClipCheck(
        {
            "checked": 1.0,
            "heard_as_asked": float(request.heard_language == asked),
            "misheard": float(misheard),
            "heard_share": float(request.heard_language == asked),
        },
        findings,
    )


def _heard(key: tuple[str, str, str], rows: Sequence[RequestRow], verdicts: LanguageVerdicts) -> LanguageHeard:
    provider, model, language = key
    asr = next((str(r.asr_model) for r in rows if r.asr_model), "")
    verdict = verdicts.of(asr, language)
    return LanguageHeard(
        provider=provider,
        model=model,
        language=language,
        checked=len(rows),
        heard_as_asked=sum(1 for r in rows if r.heard_language == language),
        misheard=tuple(
            Misheard(r.item_id, str(r.heard_language), float(r.heard_probability or 0.0))
            for r in rows
            if WRONG_LANGUAGE in json_list(r.flags)
        ),
        not_judgeable_by=model_name(asr) if verdict is not None and not verdict.check_judgeable else None,
    )


def language_heard(
    requests: Sequence[RequestRow], verdicts: LanguageVerdicts | None = None
) -> tuple[LanguageHeard, ...]:
    """Every offering and language of a run's scored clips the ASR named a language for, in that order (the
    self-test's shipped verdicts unless given)."""
    groups: dict[tuple[str, str, str], list[RequestRow]] = defaultdict(list)
    for row in scored(requests):
        if _checked(row):
            groups[(row.provider, row.model, str(row.language))].append(row)
    if not groups:
        return ()
    found = shipped_language_verdicts() if verdicts is None else verdicts
    return tuple(_heard(key, rows, found) for key, rows in sorted(groups.items()))


def figures(requests: Sequence[RequestRow]) -> tuple[OwnFigures, ...]:
    """Per offering and language checked (its `part`), in that order; none for a run that checked none."""
    return tuple(OwnFigures(one.provider, one.model, {"heard": one}, one.language) for one in language_heard(requests))


def _of(figure: OwnFigures) -> LanguageHeard:
    heard: LanguageHeard = figure.values["heard"]
    return heard


def cell(figure: OwnFigures) -> Shown:
    """The languages table's column: "5/6 heard as es; 1 as en", FALLBACK where most were another; its JSON names
    the language a misheard clip was heard as even where too few were for a fallback."""
    one = _of(figure)
    if one.not_judgeable_by:
        return Shown(f"not judgeable by {one.not_judgeable_by}")
    heard = f"{one.heard_as_asked}/{one.checked} heard as {one.language}"
    if one.misheard:
        heard += f"; {len(one.misheard)} as {one.heard_instead}" + (" FALLBACK" if one.falls_back else "")
    return Shown(
        heard,
        {
            "checked": one.checked,
            "heard_as_asked": one.heard_as_asked,
            "misheard": len(one.misheard),
            "falls_back": one.falls_back,
            "heard": one.heard_instead or None,  # for a few misheard clips too, not only a fallback
            "misheard_clips": [
                {"item": m.item_id, "heard": m.heard, "probability": m.probability} for m in one.misheard
            ],
        },
    )


def failures(found: Sequence[OwnFigures]) -> tuple[str, ...]:
    """Each offering and language that fell back, in one line (`bench run --fail-on language`)."""
    return tuple(one.fallback_line() for one in (_of(figure) for figure in found) if one.falls_back)


def section(found: Sequence[OwnFigures]) -> SectionView | None:
    """The summary's failure line per offering and language that fell back; nothing where none did."""
    failed = [one for one in (_of(figure) for figure in found) if one.falls_back]
    if not failed:
        return None
    return SectionView(
        key="language_check",
        lines=tuple(f"{DECLARATION.title} failed: {one.fallback_line()}." for one in failed),
        values={
            "fallbacks": [
                {
                    "provider": one.provider,
                    "model": one.model,
                    "language": one.language,
                    "heard": one.heard_instead,
                    "misheard": len(one.misheard),
                    "checked": one.checked,
                }
                for one in failed
            ]
        },
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Fallback:
    """An offering the newest run heard answering in another language than asked."""

    provider: str
    model: str
    language: str  # asked for
    heard: str  # what most of its misheard clips were heard as
    misheard: int
    checked: int
    run_id: str
    new: bool = True  # False: the run before (of that model and language) fell back too; the gate fails on new ones

    def describe(self) -> str:
        return (
            f"{self.provider}/{self.model} answered in {self.heard} when asked for {self.language}: "
            f"{self.misheard}/{self.checked} clips heard as another language in run {self.run_id}"
        )


def _fallback(newest: str, figure: OwnFigures, before: tuple[str, OwnFigures] | None) -> Fallback | None:
    one = _of(figure)
    if not one.falls_back:
        return None
    return Fallback(
        provider=one.provider,
        model=one.model,
        language=one.language,
        heard=one.heard_instead,
        misheard=len(one.misheard),
        checked=one.checked,
        run_id=newest,
        new=before is None or not _of(before[1]).falls_back,
    )


def worse(newest: str, figure: OwnFigures, before: tuple[str, OwnFigures] | None) -> Fallback | None:
    """The gate's view: the offering falls back for the language in the newest run where the run before that read
    it did not, or none did."""
    found = _fallback(newest, figure, before)
    return found if found is not None and found.new else None


def kept(newest: str, figure: OwnFigures, before: tuple[str, OwnFigures] | None) -> Fallback | None:
    """The offering still falls back for the language, as in the run before: no new failure, but said."""
    found = _fallback(newest, figure, before)
    return found if found is not None and not found.new else None


def judge(before: OwnFigures | None, after: OwnFigures) -> Judged | None:
    """`compare`'s view, per language both runs checked: NEW falling back where BASE did not is a regression; a
    language the ASR cannot judge the check for is insufficient data."""
    if before is None:
        return None
    base, new = _of(before), _of(after)
    statistic = f"{DECLARATION.title.lower()} ({new.language})"
    if new.not_judgeable_by:
        return Judged(
            change=None,
            worse=False,
            judged=False,
            statistic=statistic,
            details=(f"not judgeable by {new.not_judgeable_by} (docs/languages.md)",),
        )
    fell = new.falls_back and not base.falls_back
    return Judged(
        change=len(new.misheard) / new.checked - len(base.misheard) / base.checked,
        worse=fell,
        statistic=statistic,
        unit="rate",
        details=(
            f"BASE {len(base.misheard)}/{base.checked}, NEW {len(new.misheard)}/{new.checked} clips heard as "
            "another language",
            *((new.fallback_line(),) if new.falls_back else ()),
        ),
    )


def _share(figure: OwnFigures) -> float | None:
    one = _of(figure)
    return None if one.not_judgeable_by or not one.checked else one.heard_as_asked / one.checked


def _page_cells(found: Fallback) -> tuple[str, ...]:
    return (
        f"{found.provider}/{found.model}",
        found.language,
        found.heard,
        f"{found.misheard}/{found.checked}",
        found.run_id,
    )


VIEWS = OwnViews(
    figures=figures,
    worse=worse,
    rule=RULE,
    section=section,
    report_keys=("heard",),
    compared=RuleView(
        metric="language",
        statistic=f"{DECLARATION.title.lower()}",
        threshold="NEW falls back, BASE did not",
        judge=judge,
        method="per language, NEW answering in another language than asked (at least half its checked clips heard "
        "as another language with p >= 0.5) where BASE did not; each language's pooled WER/CER tested as "
        "wer is",
    ),
    page=PageTable(
        heading="Answered in another language",
        table_id="fallbacks",
        attribute="fallback",
        none="No model answered the newest run in another language than asked.",
        headings=("provider / model", "asked for", "heard as", "clips", "run"),
        cells=_page_cells,
        code=(4,),
        row_key=lambda found: f"{found.provider}/{found.model}:{found.language}",
        kept="No model answered the newest run in another language than asked where the run before it did not; "
        "these did in both (the gate fails only on a new one):",
        both="Highlighted rows are new; the others answered in another language in the run before too.",
    ),
    parts=PartsColumn(
        heading=DECLARATION.title.lower(),
        key="language_check",
        meaning="clips heard as the language asked (another: heard as another with p >= 0.5)",
        cell=cell,
    ),
    part_series=PartSeries(
        prefix="language:",
        label=lambda language: f"{DECLARATION.title}: {language} clips heard as {language}",
        unit="rate",
        value=_share,
        sample_size=lambda figure: _of(figure).checked,
    ),
    case=lambda found: f"{DECLARATION.change.case if DECLARATION.change else ''} {found.language}",
    kept=kept,
    kept_heading="Still answering in another language than asked, as in the run before (not a new failure):",
    failures=failures,
)

CHECK = DeclaredCheck(DECLARATION, measure, VIEWS)
