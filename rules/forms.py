"""The evaluation form, as data next to the rulebook (``rules/forms.yaml``).

A criterion is answered yes / no / not applicable and carries a weight; the
rulebook rules it names propose an answer from the automatic findings («no»
when one of them fired, «yes» when none did), and a criterion without rules is
judged by listening (tone, intonation, clauses 14.2–14.5, 15.5, 15.8–15.9, 17).
The form's score is 100 × the weight of the criteria met over the weight of
those answered yes or no; «n.a.» is left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from core.errors import OkaError

DEFAULT_PATH = Path(__file__).with_name("forms.yaml")
ANSWERS = ("yes", "no", "na")
ANSWERS_RU = {"yes": "да", "no": "нет", "na": "н/п"}


class FormError(OkaError):
    """The form file is unreadable or a criterion is malformed."""


@dataclass(frozen=True)
class Criterion:
    id: str
    clause: str
    title_ru: str
    weight: float
    rules: tuple[str, ...] = ()          # rulebook rules whose findings propose the answer
    topics: tuple[str, ...] = ()         # applies only to calls of these topics (empty: to every call)

    @property
    def by_ear(self) -> bool:
        """Judged only by listening: no rule proposes an answer."""
        return not self.rules

    def proposal(self, fired: set[str], topic: str | None, assessed: bool = True) -> str | None:
        """The answer the automatic check suggests, or None where it has nothing to say."""
        if self.topics and topic not in self.topics:
            return "na"
        if self.by_ear or not assessed:
            return None
        return "no" if fired & set(self.rules) else "yes"


@dataclass(frozen=True)
class Form:
    edition: str
    criteria: tuple[Criterion, ...]
    path: Path = DEFAULT_PATH

    def criterion(self, cid: str) -> Criterion:
        for c in self.criteria:
            if c.id == cid:
                return c
        raise FormError(f"{self.path}: no criterion {cid!r}")

    def by_clause(self) -> dict[str, list[Criterion]]:
        """The criteria grouped by their clause, in the file's order."""
        out: dict[str, list[Criterion]] = {}
        for c in self.criteria:
            out.setdefault(c.clause, []).append(c)
        return out

    def score(self, answers: dict[str, str]) -> float | None:
        """100 × weight of «yes» / weight of «yes» and «no»; None when nothing was answered yes or no."""
        weights = {c.id: c.weight for c in self.criteria}
        judged = [(weights[c], a) for c, a in answers.items() if a in ("yes", "no") and c in weights]
        total = sum(w for w, _a in judged)
        return None if total == 0 else round(100.0 * sum(w for w, a in judged if a == "yes") / total, 1)


def load(path: Path | str = DEFAULT_PATH, known_rules: set[str] | None = None) -> Form:
    """Read the form; ``known_rules`` (the rulebook's ids) catches a criterion naming a rule that does not exist."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise FormError(f"{path}: evaluation form not found") from e
    except yaml.YAMLError as e:
        raise FormError(f"{path}: not valid YAML ({str(e).splitlines()[0]})") from e
    if not isinstance(data, dict) or not isinstance(data.get("criteria"), list) or not data.get("edition"):
        raise FormError(f"{path}: expected a mapping with 'edition' and a list 'criteria'")
    out, seen = [], set()
    for i, c in enumerate(data["criteria"], 1):
        where = f"{path}: criterion {i}"
        if not isinstance(c, dict):
            raise FormError(f"{where}: expected a mapping")
        missing = [k for k in ("id", "clause", "title_ru", "weight") if c.get(k) in (None, "")]
        if missing:
            raise FormError(f"{where} ({c.get('id', '?')}): missing {', '.join(missing)}")
        if c["id"] in seen:
            raise FormError(f"{where}: criterion id {c['id']!r} appears twice")
        seen.add(c["id"])
        try:
            weight = float(c["weight"])
        except (TypeError, ValueError):
            raise FormError(f"{where} ({c['id']}): weight must be a number, got {c['weight']!r}") from None
        if weight < 0:
            raise FormError(f"{where} ({c['id']}): weight must not be negative")
        rules = tuple(c.get("rules") or ())
        unknown = sorted(set(rules) - known_rules) if known_rules is not None else []
        if unknown:
            raise FormError(f"{where} ({c['id']}): unknown rule(s) {', '.join(unknown)}")
        out.append(Criterion(str(c["id"]), str(c["clause"]), str(c["title_ru"]), weight, rules,
                             tuple(c.get("topics") or ())))
    return Form(str(data["edition"]), tuple(out), path)
