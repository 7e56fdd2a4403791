"""The domain dictionary (dictionary.yaml): concepts linking colloquial words, acronyms and official terms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from nyengget.matching.yamlfile import read_yaml

DICTIONARY_PATH = Path(__file__).with_name("dictionary.yaml")
CONCEPT_PREFIX = "§"


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    terms: tuple[str, ...]
    related: dict[str, float] = field(default_factory=dict)

    @property
    def token(self) -> str:
        return CONCEPT_PREFIX + self.id


@dataclass(frozen=True)
class Dictionary:
    concepts: dict[str, Concept]
    keep_unstemmed: frozenset[str]
    stem_overrides: dict[str, str]
    not_stopwords: frozenset[str]
    extra_stopwords: frozenset[str]
    stem_guards: dict[str, str] = field(default_factory=dict)  # word -> its own stem (collision guard)
    acronyms: dict[str, tuple[AcronymOption, ...]] = field(default_factory=dict)  # upper-case acronym -> options
    # what analyzers reading with this dictionary work out, per (stemming, stem_guards): stems and phrase
    # indexes, shared by the analyzers of a process (text.Analyzer; one per region and run)
    derived: dict = field(default_factory=dict, compare=False, repr=False)

    def label(self, concept_id: str) -> str:
        return self.concepts[concept_id].label

    def phrase_index(self, normalise: Callable[[str], tuple[str, ...]],
                     stopwords: frozenset[str] = frozenset()) -> dict[str, list[PhraseEntry]]:
        """First normalised token -> phrases starting with it (longest first), each with its concept weights.
        One-word terms that normalise to a stopword are skipped (they would match everywhere)."""
        weights: dict[tuple[str, ...], dict[str, float]] = {}
        for concept in self.concepts.values():
            for term in concept.terms:
                key = normalise(term)
                if not key or (len(key) == 1 and key[0] in stopwords):
                    continue
                slot = weights.setdefault(key, {})
                slot[concept.id] = 1.0
                for rel, w in concept.related.items():
                    slot[rel] = max(slot.get(rel, 0.0), w)
        index: dict[str, list[PhraseEntry]] = {}
        for key, cw in weights.items():
            index.setdefault(key[0], []).append(PhraseEntry(key, tuple(sorted(cw.items()))))
        for entries in index.values():
            entries.sort(key=lambda e: (-len(e.tokens), e.tokens))
        return index


@dataclass(frozen=True)
class AcronymOption:
    concept: str
    when: tuple[str, ...]  # context terms as written (normalised by the analyzer)


@dataclass(frozen=True)
class PhraseEntry:
    tokens: tuple[str, ...]
    concepts: tuple[tuple[str, float], ...]  # (concept id, weight); the term's own concepts have weight 1


def _as_concept(raw: dict) -> Concept:
    related = {str(k): float(v) for k, v in (raw.get("related") or {}).items()}
    for term in raw["terms"]:
        text = str(term).strip()
        if text.isdigit() and len(text) < 3:
            raise ValueError(f"dictionary concept {raw['id']!r}: term {text!r} is a bare number; a YAML list "
                             "splits at commas, quote terms like \"PM2,5\"")
    return Concept(str(raw["id"]), str(raw.get("label") or raw["id"]), tuple(str(t) for t in raw["terms"]), related)


def parse_dictionary(data: dict) -> Dictionary:
    """Build a Dictionary from parsed YAML; unknown related concepts are an error."""
    concepts = {c.id: c for c in (_as_concept(raw) for raw in data["concepts"])}
    for c in concepts.values():
        missing = set(c.related) - set(concepts)
        if missing:
            raise ValueError(f"dictionary concept {c.id!r}: unknown related concepts {sorted(missing)}")
    acronyms = {str(k).upper(): tuple(AcronymOption(str(o["concept"]), tuple(str(w) for w in o["when"])) for o in opts)
                for k, opts in (data.get("acronym_context") or {}).items()}
    unknown = sorted({o.concept for opts in acronyms.values() for o in opts} - set(concepts))
    if unknown:
        raise ValueError(f"dictionary acronym_context: unknown concepts {unknown}")
    return Dictionary(
        concepts=concepts,
        keep_unstemmed=frozenset(str(w).lower() for w in data.get("keep_unstemmed") or ()),
        stem_overrides={str(k).lower(): str(v).lower() for k, v in (data.get("stem_overrides") or {}).items()},
        not_stopwords=frozenset(str(w).lower() for w in data.get("not_stopwords") or ()),
        extra_stopwords=frozenset(str(w).lower() for w in data.get("extra_stopwords") or ()),
        stem_guards={str(k).lower(): str(v).lower() for k, v in (data.get("stem_guards") or {}).items()},
        acronyms=acronyms,
    )


@lru_cache(maxsize=4)
def load_dictionary(path: Path = DICTIONARY_PATH) -> Dictionary:
    """The packaged dictionary (cached)."""
    return parse_dictionary(read_yaml(path))
