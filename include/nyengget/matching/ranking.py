"""Ranking: eligibility filters, BM25F text relevance, urusan codes, attribute rules and feedback."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from nyengget.matching import catalogue, eligibility, explain, feedback, model, purpose, rules, structural
from nyengget.matching import proposers as who_proposes
from nyengget.matching.arrays import nonzero_2d
from nyengget.matching.codes import load_codes
from nyengget.matching.forked import Forked
from nyengget.matching.inputs import clean_feedback, clean_innovations, clean_programmes
from nyengget.matching.text import Analyzer

log = logging.getLogger(__name__)
OUTPUT_COLUMNS = ["innovation_id", "programme_id", "rank", "score", "reasons"]
SCALE = 10_000  # scores are quantised to 1e-4 so that ties break by programme_id


@dataclass(frozen=True)
class Options:
    """Signals (each can be switched off for ablations) and tuning constants."""

    stemming: bool = True
    dictionary: bool = True
    codes: bool = True
    eligibility: bool = True
    field_weights: bool = True
    rules: bool = True
    feedback: bool = True
    stem_guards: bool = True
    acronym_context: bool = True
    structural_evidence: bool = True
    structural_cap: bool = True
    structural_below_list: bool = True  # structural items outside the OPD's list come right below it
    physical_work: bool = True  # physical menus weigh less for an innovation that builds nothing (purpose.yaml)
    stated_aim: bool = True  # an assessed programme whose theme is the innovation's stated aim is lifted
    weights: dict[str, float] = field(
        default_factory=lambda: {"title": 2.0, "description": 1.0, "bidang": 1.5, "subbidang": 2.0})
    k1: float = 1.2
    b: float = 0.75
    w_text: float = 0.85
    w_code: float = 0.2
    text_floor: float = 35.0
    code_gate: float = 0.0  # > 0: the code signal counts fully only once text similarity reaches this
    phrase_word_weight: float = 1.0
    name_weight: float = 0.7  # the innovation's name next to its description
    lift: float = 0.15
    lift_min_similarity: float = 0.25
    max_structural_per_opd: int = 2  # distinct structural rules with only weak evidence in an OPD's list
    chunk_size: int = 512  # innovations scored at a time (less CPU than 2048 at 50k x 5k, bench/match_scale.py)
    workers: int = 2  # threads scoring chunks (results are the same with 1)


@dataclass
class Prepared:
    """Everything the chunked scorer needs."""

    programmes: pd.DataFrame  # eligible (or all) programmes, sorted by id
    innovations: pd.DataFrame
    analyzer: Analyzer
    programme_model: model.ProgrammeModel  # weights of the eligible programmes
    text: model.TextModel | None  # None until with_queries
    used: np.ndarray  # the terms programmes use (columns of the queries the product reads)
    profile: np.ndarray  # innovation row -> code profile
    code: np.ndarray  # profile x n_prog
    code_src: list[list[tuple[str, str | None, np.ndarray, np.ndarray]]]  # per profile: links for reasons
    rule_of: np.ndarray  # programme column -> rule index or -1
    rule_score: np.ndarray  # innovation x rule: the old flat score (ablation only)
    rule_level: np.ndarray  # innovation x rule: evidence level (rules.NONE..MENTIONED)
    rule_allowed: np.ndarray  # innovation x rule: weak evidence may enter the top list (OPD cap)
    rule_mentions: list[dict[int, str]]
    rules: tuple[rules.Rule, ...]
    fb: feedback.Feedback
    urusan_sets: list[frozenset]
    eligibility_text: np.ndarray  # object array: per programme column
    prog_fields: list[dict[str, str]]
    reason_cache: dict[tuple[int, int], str] = field(default_factory=dict)
    items: explain.Items = None  # what matched terms show in reasons
    q_used: sparse.csr_matrix = None  # queries restricted to `used` (with_queries)
    pt_dense: np.ndarray = None  # programme weights of `used`, dense (terms x n_prog)
    code_keep: np.ndarray = None  # profile x n_prog: 1 - w_code * code (float32)
    physical: np.ndarray | None = None  # per programme column: pays for physical work
    builds: np.ndarray | None = None  # per innovation: names physical work
    aim: purpose.StatedAim | None = None
    aim_pos: np.ndarray | None = None  # programme column -> column of aim.hit, or -1
    purpose: purpose.Purpose | None = None
    funding_line: np.ndarray | None = None  # per programme column: proposers.line_ids

    def with_queries(self, rows: np.ndarray | None, opts: Options) -> Prepared:
        """A copy with the queries of the innovations at `rows` (sorted; None: all): `text`, `q_used` and the
        purpose signals of those rows. Lifts read the queries of `fb.sources`: a part that scores some
        innovations must hold those rows too."""
        spec = self.purpose
        marks = purpose.marks(self.analyzer, spec, physical=opts.physical_work, aim=opts.stated_aim) if spec else None
        text = model.build_queries(self.analyzer, self.programme_model, self.innovations, rows,
                                   name_weight=opts.name_weight, marks=marks)
        out = replace(self, text=text, reason_cache={})
        if spec is not None:
            out._purpose_of(rows, opts)
        out.q_used = text.queries[:, self.used].tocsr()
        out.q_used.sort_indices()
        return out

    def _purpose_of(self, rows: np.ndarray | None, opts: Options) -> None:
        """The purpose signals of the innovations at `rows` (purpose.py): build_queries flagged their work
        words and aim markers."""
        if opts.physical_work:
            self.builds = self.text.marked["work"]
        if opts.stated_aim:
            self.aim = purpose.stated_aim(self.analyzer, self.programmes, self.innovations, self.purpose,
                                          self.rule_of >= 0, self.text.marked["aim"], rows=rows)
            self.aim_pos = np.full(len(self.programmes), -1, dtype=np.int64)
            self.aim_pos[self.aim.cols] = np.arange(len(self.aim.cols))


def rank(programmes: pd.DataFrame, innovations: pd.DataFrame, *, as_of: date, level: str = "kota",
         top_k: int = 10, feedback_rows: pd.DataFrame | None = None, options: Options | None = None,
         proposers: bool = False, cache_dir: Path | None = None) -> pd.DataFrame:
    """Top-k eligible programmes per innovation with scores in [0, 1] and one-line reasons; with
    `proposers`, also who may propose each programme (proposers.PROPOSER_COLUMNS). `cache_dir`: see
    `prepare_programmes`."""
    opts = options or Options()
    prep = prepare(programmes, innovations, as_of=as_of, level=level, feedback_rows=feedback_rows, opts=opts,
                   cache_dir=cache_dir)
    if nothing_to_match(prep):
        return _empty(proposers)
    return ranked_rows(prep, 0, len(prep.innovations), top_k, opts, proposers=proposers)


def nothing_to_match(prep: Prepared) -> bool:
    """No eligible programme or no innovation (logged: the week's list will be empty)."""
    if len(prep.programmes) and len(prep.innovations):
        return False
    log.warning("nothing to match: %d eligible programmes, %d innovations", len(prep.programmes), len(prep.innovations))
    return True


def ranked_rows(prep: Prepared, start: int, end: int, top_k: int, opts: Options, *,
                proposers: bool = False) -> pd.DataFrame:
    """The ranked rows of innovations [start, end), scored in chunks on `opts.workers` threads."""
    ranked = pd.DataFrame(ranked_columns(prep, start, end, top_k, opts))
    if proposers:
        line_of = dict(zip(prep.programmes["programme_id"], prep.funding_line, strict=True))
        ranked = pd.concat([ranked, who_proposes.columns(ranked, line_of, prep.innovations)], axis=1)
    return ranked


def ranked_columns(prep: Prepared, start: int, end: int, top_k: int, opts: Options) -> dict[str, np.ndarray]:
    """OUTPUT_COLUMNS of the ranked rows of innovations [start, end) as arrays (ranked_rows' frame)."""
    starts = range(start, end, opts.chunk_size)

    def chunk(at: int) -> dict[str, np.ndarray]:
        return score_chunk(prep, at, min(at + opts.chunk_size, end), top_k, opts)

    if opts.workers > 1 and len(starts) > 1:  # the dense products and sorts release the GIL
        with ThreadPoolExecutor(max_workers=opts.workers) as pool:
            parts = list(pool.map(chunk, starts))
    else:
        parts = [chunk(at) for at in starts]
    return {c: np.concatenate([p[c] for p in parts]) for c in OUTPUT_COLUMNS}


def _empty(proposers: bool = False) -> pd.DataFrame:
    dtypes = (object, object, "int64", "float64", object)
    out = pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(OUTPUT_COLUMNS, dtypes, strict=True)})
    if proposers:
        for c in who_proposes.PROPOSER_COLUMNS:
            out[c] = pd.Series(dtype="boolean" if c == "own_opd_may_propose" else object)
    return out


def prepare(programmes: pd.DataFrame, innovations: pd.DataFrame, *, as_of: date, level: str,
            feedback_rows: pd.DataFrame | None, opts: Options, cache_dir: Path | None = None) -> Prepared:
    """Both sides read: `prepare_programmes`, then the queries of every innovation."""
    return prepare_programmes(programmes, innovations, as_of=as_of, level=level, feedback_rows=feedback_rows,
                              opts=opts, cache_dir=cache_dir).with_queries(None, opts)


def prepare_programmes(programmes: pd.DataFrame, innovations: pd.DataFrame, *, as_of: date, level: str,
                       feedback_rows: pd.DataFrame | None, opts: Options, fork: bool = False,
                       cache_dir: Path | None = None) -> Prepared:
    """Everything but the innovations' texts: programmes' weights and eligibility, code profiles, rule
    evidence and feedback, for all innovations (the OPD cap and lifts look across them). `fork`: the rule
    evidence is read in a forked process while this one reads the programmes (see forked.Forked).
    `cache_dir`: where the programmes' analysis is kept for the next call with the same ones (catalogue.py)."""
    inns = clean_innovations(innovations)
    rule_list = rules.load_rules() if opts.rules else ()
    resolved = _resolved_urusan(inns)
    urusan_sets = _urusan_sets(inns, resolved)

    def evidence() -> tuple[np.ndarray, np.ndarray, np.ndarray, list[dict[int, str]]]:
        return _rule_evidence(rule_list, inns, urusan_sets, opts)

    later = Forked(evidence) if fork else None
    try:
        progs = clean_programmes(programmes)
        fb_rows = clean_feedback(feedback_rows)
        elig = eligibility.check(progs, as_of=as_of, level=level)
        keep = np.flatnonzero(elig.eligible) if opts.eligibility else np.arange(len(progs))
        eligible = progs.iloc[keep].reset_index(drop=True)
        analyzer = Analyzer(stemming=opts.stemming, use_dictionary=opts.dictionary,
                            phrase_word_weight=opts.phrase_word_weight, stem_guards=opts.stem_guards,
                            acronym_context=opts.acronym_context)
        spec = purpose.load_purpose() if opts.physical_work or opts.stated_aim else None
        cat = _catalogue(analyzer, progs, rule_list, spec, opts, cache_dir)
        names, weights, kinds = cat.links
        profile, code, code_src = _code_profiles((names, weights[:, keep], kinds[:, keep]), inns, resolved,
                                                 enabled=opts.codes)
        prog_model = replace(cat.model, weights=cat.model.weights[keep])
        physical = cat.physical[keep] if cat.physical is not None else None
        fb = feedback.prepare(fb_rows if opts.feedback else clean_feedback(None),
                              {k: i for i, k in enumerate(inns["innovation_id"])},
                              {k: i for i, k in enumerate(eligible["programme_id"])})
        records = eligible.to_dict("records")
        texts = np.array([explain.eligibility_phrase(r, level=level, as_of=as_of) for r in records] + [""],
                         dtype=object)[:-1]  # [""]: an object array of str even when all phrases are equal
        pt = prog_model.weights.T.tocsr()  # V x n_prog
        used = np.flatnonzero(np.diff(pt.indptr))
        labels = [analyzer.concept_label(t) for t in range(prog_model.n_terms)]
    except BaseException:
        if later is not None:
            later.cancel()
        raise
    rule_score, level_of, allowed, mentions = (later.result() if later is not None else
                                               _rule_evidence(rule_list, inns, urusan_sets, opts))
    log.info("matching %d innovations against %d programmes", len(inns), len(eligible))
    return Prepared(eligible, inns, analyzer, prog_model, None, used, profile, code, code_src,
                    cat.rule_of[keep], rule_score, level_of, allowed, mentions, rule_list, fb,
                    urusan_sets, texts, records, items=explain.Items(analyzer.forms, labels),
                    pt_dense=pt[used].toarray(),
                    code_keep=np.subtract(np.float32(1.0), code * np.float32(opts.w_code), dtype=np.float32),
                    physical=physical, purpose=spec, funding_line=cat.funding_line[keep])


def _catalogue(analyzer: Analyzer, progs: pd.DataFrame, rule_list: tuple[rules.Rule, ...],
               spec: purpose.Purpose | None, opts: Options, cache_dir: Path | None) -> catalogue.Catalogue:
    """What the cleaned programmes alone give (catalogue.py): analysed by `analyzer`, or read from `cache_dir`."""
    fw = opts.weights if opts.field_weights else {}
    physical = spec is not None and opts.physical_work

    def build() -> catalogue.Catalogue:
        prog_model = model.build_programmes(analyzer, progs, field_weights=fw, k1=opts.k1, b=opts.b)
        return catalogue.Catalogue(prog_model, purpose.physical_programmes(analyzer, progs, spec) if physical else None,
                                   rules.programme_rules(rule_list, progs), load_codes().programme_links(progs),
                                   np.array(who_proposes.line_ids(progs), dtype=str))

    settings = repr((opts.stemming, opts.dictionary, opts.phrase_word_weight, opts.stem_guards, opts.acronym_context,
                     sorted(fw.items()), opts.k1, opts.b, physical, opts.rules))
    return catalogue.read(analyzer, progs, settings, build, cache_dir)


def _resolved_urusan(inns: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Each distinct urusan field of the innovations -> the canonical urusan it names (codes.resolve_urusan),
    resolved once for the code profiles, the rule evidence and the feedback lifts."""
    codes = load_codes()
    return {u: codes.resolve_urusan(u) for u in dict.fromkeys(inns["urusan"].tolist())}


def _urusan_sets(inns: pd.DataFrame, resolved: dict[str, tuple[str, ...]]) -> list[frozenset]:
    """Per innovation the set of its canonical urusan (`_resolved_urusan`)."""
    sets = {u: frozenset(names) for u, names in resolved.items()}
    return [sets[u] for u in inns["urusan"].tolist()]


def _rule_evidence(rule_list: tuple[rules.Rule, ...], inns: pd.DataFrame, urusan_sets: list[frozenset],
                   opts: Options) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[dict[int, str]]]:
    """(flat rule scores, evidence levels, allowed under the OPD cap, mentions) per innovation and rule."""
    urusan_tuples = [tuple(s) for s in urusan_sets]
    rule_score, boosted = rules.innovation_scores(rule_list, inns, urusan_tuples)
    level, mentions = rules.innovation_evidence(rule_list, inns, urusan_tuples, scored=(rule_score, boosted))
    return rule_score, level, structural.opd_allowed(level, inns["opd"].tolist(), opts.max_structural_per_opd), mentions


def _code_profiles(links: tuple[list[str], np.ndarray, np.ndarray], inns: pd.DataFrame,
                   resolved: dict[str, tuple[str, ...]], *, enabled: bool):
    """Group innovations by (urusan, OPD-implied urusan) and compute one code vector per group, from the
    programmes' urusan links (codes.programme_links); `resolved`: `_resolved_urusan` of the innovations."""
    codes = load_codes()
    names, weights, kinds = links
    row_of = {n: r for r, n in enumerate(names)}
    keys: dict[tuple, int] = {}
    pairs = list(zip(inns["urusan"].tolist(), inns["opd"].tolist(), strict=True))
    pair, distinct = pd.factorize(pd.Series(pairs, dtype=object), sort=False)  # each distinct (urusan, OPD) once
    of_pair = np.zeros(len(distinct), dtype=np.int32)
    for d, (urusan, opd) in enumerate(distinct):
        own = resolved[urusan]
        key = (own, codes.opd_urusan(opd) if opd else (), opd)
        of_pair[d] = keys.setdefault(key, len(keys))
    profile = of_pair[pair] if len(pair) else np.zeros(0, dtype=np.int32)
    code = np.zeros((len(keys), weights.shape[1]), dtype=np.float32)
    sources: list[list] = [[] for _ in keys]
    for (own, via_opd, opd), k in keys.items():
        links = [(u, None, weights[row_of[u]], kinds[row_of[u]]) for u in own]
        links += [(u, opd, codes.opd_weight * weights[row_of[u]], kinds[row_of[u]]) for u in via_opd if u not in own]
        sources[k] = links
        if enabled and links:
            code[k] = np.max(np.stack([w for _, _, w, _ in links]), axis=0)
    return profile, code, sources


def score_chunk(prep: Prepared, start: int, end: int, top_k: int, opts: Options) -> dict[str, np.ndarray]:
    """Scores of innovations [start, end) against all programmes, top-k with reasons (OUTPUT_COLUMNS)."""
    rows = np.arange(start, end)
    q = prep.text.queries[start:end]
    score = _base_scores(prep, start, end, opts)
    if prep.purpose is not None:
        purpose.adjust(score, slice(start, end), prep.physical, prep.builds, prep.aim, prep.purpose)
    kth = _structural(prep, score, start, end, top_k, opts)
    lift_val, lift_who = _lift(prep, rows, q, opts)
    if lift_val is not None:
        score, kth = 1.0 - (1.0 - score) * (1.0 - lift_val), None
    for i, p in prep.fb.removed:
        if start <= i < end:
            score[i - start, p], kth = 0.0, None
    inn_local, cols, values = top_k_pairs(score, top_k, kth_score=kth)
    return _columns(prep, q, start, inn_local, cols, values, lift_who)


def _base_scores(prep: Prepared, start: int, end: int, opts: Options) -> np.ndarray:
    """1 - (1 - w_text * text) * (1 - w_code * code) for a chunk, computed in place (float32, the same
    operations in the same order as the plain expression, so the same bits)."""
    raw = prep.q_used[start:end] @ prep.pt_dense  # csr x dense: one dense array, no sparse result
    text_sim = np.divide(raw, np.maximum(raw.max(axis=1, keepdims=True), opts.text_floor), out=raw)
    if opts.code_gate > 0:
        code = prep.code[prep.profile[start:end]]
        gate = np.minimum(1.0, text_sim / opts.code_gate)
        return 1.0 - (1.0 - opts.w_text * text_sim) * (1.0 - opts.w_code * code * gate)
    score = np.multiply(text_sim, np.float32(opts.w_text), out=text_sim)
    np.subtract(np.float32(1.0), score, out=score)
    score *= prep.code_keep[prep.profile[start:end]]
    return np.subtract(np.float32(1.0), score, out=score)


def _structural(prep: Prepared, score: np.ndarray, start: int, end: int, top_k: int,
                opts: Options) -> np.ndarray | None:
    """Replace the scores of structural programmes (in place) by their evidence-based placement; returns
    the k-th best score per row when it follows from the topical order statistics (else None)."""
    ruled = prep.rule_of >= 0
    if not ruled.any():
        return None
    cols = np.flatnonzero(ruled)
    cols = cols[np.lexsort((cols, prep.rule_of[cols]))]  # priority: rules.yaml order, then programme id
    which = prep.rule_of[cols]
    if not opts.structural_evidence:
        score[:, cols] = prep.rule_score[start:end][:, which]
        return None
    topical = score.copy()
    topical[:, cols] = 0.0  # scratch: structural columns out of the topical distribution
    placement = structural.Placement(cap=opts.structural_cap, below_list=opts.structural_below_list)
    stats = structural.order_statistics(topical, structural.depth(top_k, placement), overwrite=True)
    placed = structural.place(None, score[:, cols], prep.rule_level[start:end][:, which],
                              prep.rule_allowed[start:end][:, which], top_k=top_k, placement=placement, stats=stats)
    score[:, cols] = placed
    return _kth_best(stats[:, :top_k], placed, top_k) if score.dtype == stats.dtype else None


def _kth_best(topical_best: np.ndarray, placed: np.ndarray, k: int) -> np.ndarray:
    """The k-th best score per row once structural columns hold `placed`: the other columns keep their
    topical scores (all >= 0), so it is among their k best (`topical_best`, zero-padded) and `placed`."""
    both = np.concatenate([topical_best, placed], axis=1)
    k = min(k, both.shape[1])
    return np.partition(both, both.shape[1] - k, axis=1)[:, both.shape[1] - k]


def _lift(prep: Prepared, rows: np.ndarray, q: sparse.csr_matrix, opts: Options):
    fb = prep.fb
    if not fb.pursued:
        return None, None
    qn = model.unit_rows(q, prep.text.purpose_idf)
    src = model.unit_rows(prep.text.queries[fb.sources], prep.text.purpose_idf)
    sim = feedback.similarity(qn, src, prep.urusan_sets[rows[0]:rows[-1] + 1],
                              [prep.urusan_sets[s] for s in fb.sources])
    return feedback.lift(sim, fb, rows, len(prep.programmes), weight=opts.lift, min_similarity=opts.lift_min_similarity)


def top_k_pairs(score: np.ndarray, k: int, *, kth_score: np.ndarray | None = None,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, quantised score) of the k best columns per row, score > 0, ties by lower column;
    `kth_score`: per row the k-th best score when the caller knows it (any lower bound gives the same
    pairs; the k-th best itself keeps the candidates few)."""
    n_rows, n_cols = score.shape
    k = min(k, n_cols)
    if k <= 0 or n_rows == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    floating = np.result_type(score.dtype, np.float16)  # integer input: float64, as np.rint would give
    work = np.asarray(score, dtype=floating)
    # the k-th best quantised score per row is the quantised k-th best score (quantising keeps order);
    # candidates are the positive quantised scores at or above it (ties included), found among the
    # scores above a bound every such score exceeds, so only those are quantised
    if kth_score is None:
        kth_score = np.partition(work, n_cols - k, axis=1)[:, n_cols - k] if k < n_cols else work.min(axis=1)
    least = np.maximum(quantise(kth_score), 1)
    bound = (least - 0.5) * (1.0 - 4 * np.finfo(floating).eps) / SCALE
    rows, cols = nonzero_2d(work >= bound[:, None])
    values = quantise(work[rows, cols])
    keep = values >= least[rows]
    rows, cols, values = rows[keep], cols[keep], values[keep]
    order = np.lexsort((cols, -values, rows))  # by row, score descending, then lower column
    rows, cols, values = rows[order], cols[order], values[order]
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    position = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    keep = position < k
    return rows[keep], cols[keep], values[keep].astype(np.int64)


def quantise(score: np.ndarray) -> np.ndarray:
    """Scores clipped to [0, 1] as int32 multiples of 1 / SCALE (in the scores' own float type)."""
    work = np.clip(score, 0.0, 1.0)
    work *= SCALE
    return np.rint(work, out=work).astype(np.int32)


def _columns(prep: Prepared, q: sparse.csr_matrix, start: int, inn_local: np.ndarray, cols: np.ndarray,
             values: np.ndarray, lift_who) -> dict[str, np.ndarray]:
    """Output columns with ranks and reasons for the selected pairs of one chunk."""
    rows = start + inn_local
    return {
        "innovation_id": prep.innovations["innovation_id"].to_numpy()[rows],
        "programme_id": prep.programmes["programme_id"].to_numpy()[cols],
        "rank": _ranks(inn_local),
        "score": values / SCALE,
        "reasons": _reasons(prep, q, rows, inn_local, cols, lift_who),
    }


def _reasons(prep: Prepared, q: sparse.csr_matrix, rows: np.ndarray, local: np.ndarray, cols: np.ndarray,
             lift_who) -> np.ndarray:
    """One line per kept pair: rule or matched words and code link, feedback lift, eligibility."""
    rule = prep.rule_of[cols].astype(np.int64)
    topical = rule < 0
    first = np.full(len(rows), "", dtype=object)
    if topical.any():
        contrib = q[local[topical]].multiply(prep.text.programmes[cols[topical]]).tocsr()
        terms = explain.matched_terms(contrib)
        forms = prep.text.surfaces.lookup(np.repeat(rows[topical], terms.shape[1]), terms.ravel())
        words = explain.words_phrases(terms, np.where(terms >= 0, forms.reshape(terms.shape), -1), prep.items)
        first[topical] = np.where(words != "", "kata cocok: " + words, "")
    ruled = np.flatnonzero(~topical)
    first[ruled] = _rule_reasons(prep, rows[ruled], rule[ruled])
    code = np.full(len(rows), "", dtype=object)
    linked = np.flatnonzero(topical & (prep.code[prep.profile[rows], cols] > 0))
    if len(linked):  # one phrase per distinct (code profile, programme)
        pair = prep.profile[rows[linked]].astype(np.int64) * len(prep.rule_of) + cols[linked]
        _, at, inverse = np.unique(pair, return_index=True, return_inverse=True)
        texts = [_code_reason(prep, int(rows[linked[a]]), int(cols[linked[a]])) for a in at.tolist()]
        code[linked] = np.array(texts, dtype=object)[inverse.ravel()]
    lift = np.full(len(rows), "", dtype=object)
    if lift_who is not None:
        who = lift_who[local, cols]
        for n in np.flatnonzero(who >= 0):
            lift[n] = _lift_reason(prep, int(rows[n]), int(prep.fb.sources[who[n]]))
    return explain.join_reasons([first, code, _aim_reasons(prep, rows, cols), lift, prep.eligibility_text[cols]])


def _aim_reasons(prep: Prepared, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """"tujuannya: <theme>" for pairs the stated-aim signal lifted."""
    out = np.full(len(rows), "", dtype=object)
    if prep.aim is None or len(prep.aim.cols) == 0:
        return out
    pos = prep.aim_pos[cols]
    at = np.flatnonzero(pos >= 0)
    hit = at[prep.aim.hit[rows[at], pos[at]]]
    for n in hit.tolist():
        out[n] = f"tujuannya: {prep.prog_fields[int(cols[n])]['subbidang'].lower()}"
    return out


def _ranks(rows: np.ndarray) -> np.ndarray:
    """1..k within each run of equal row numbers (rows are grouped and in rank order)."""
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    return np.arange(len(rows)) - first + 1


def _rule_reasons(prep: Prepared, rows: np.ndarray, rule: np.ndarray) -> np.ndarray:
    """The reason of each structural pair: its rule's text for the evidence level, the mention as written."""
    level = prep.rule_level[rows, rule].astype(np.int64)
    by_level = np.empty((len(prep.rules), rules.MENTIONED + 1), dtype=object)  # rule x level
    for r, spec in enumerate(prep.rules):
        by_level[r] = [spec.reason, spec.reason, spec.boost_reason, spec.mention_reason]
    out = by_level[rule, level] if len(rows) else np.zeros(0, dtype=object)
    for n in np.flatnonzero(level == rules.MENTIONED).tolist():
        out[n] = f"{out[n]} (\"{prep.rule_mentions[int(rows[n])][int(rule[n])]}\")"
    return out


def _code_reason(prep: Prepared, row: int, col: int) -> str:
    key = (int(prep.profile[row]), col)
    text = prep.reason_cache.get(key)
    if text is None:
        links = prep.code_src[key[0]]
        urusan, via_opd, _weights, kinds = max(links, key=lambda link: float(link[2][col]))
        text = prep.reason_cache[key] = explain.code_phrase(urusan, int(kinds[col]), prep.prog_fields[col], via_opd)
    return text


def _lift_reason(prep: Prepared, row: int, source: int) -> str:
    if source == row:
        return "sudah ditandai perencana"
    return f"diminati inovasi serupa: {prep.innovations['name'].iat[source]}"
