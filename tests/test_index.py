"""The candidate indexes' shortcuts answer exactly what their plain definitions say."""

from bot.knowledge.index import MIN_AFFIX, affixes


def test_a_documents_affixes_are_the_prefixes_and_suffixes_of_its_words(assistant):
    """`a in doc.affixes` (answered from the index's sorted stems) is `a in affixes(doc.whole)`, for
    every affix of every document and for strings that are none."""
    for index in (assistant.matcher.services, assistant.matcher.faqs):
        every = set().union(*(affixes(doc.whole) for doc in index.docs))
        probes = sorted(every) + [s for doc in index.docs for s in doc.whole] + ["zzzzzz", "rabat", "ung", ""]
        for i, doc in enumerate(index.docs):
            own = affixes(doc.whole)
            for probe in probes[:: max(1, len(probes) // 400)] + sorted(own):
                assert (probe in doc.affixes) == (probe in own), (doc.id, probe)
        for probe in sorted(every)[:300]:
            assert index.affix_docs(probe) == {i for i, doc in enumerate(index.docs) if probe in affixes(doc.whole)}
        assert all(len(a) >= MIN_AFFIX for a in every)


def _plain_search(index, units, limit=5):
    """DocIndex.search as its definition reads: `_credit` asked afresh for every unit and document."""
    from bot.knowledge.index import Scored, _credit
    units = index.relevant(units)
    if not units:
        return []
    q_whole = {u.stem for u in units}
    q_parts = {p for u in units for p in u.parts}
    q_affix = affixes(q_whole)
    q_weights = [(u, index.weight(u)) for u in units]
    q_weight = sum(w for _, w in q_weights)
    results = []
    for i in index.candidates(units):
        doc = index.docs[i]
        query_cover = strong_cover = 0.0
        for u, w in q_weights:
            c = _credit(u, doc.whole, doc.parts, affixes(doc.whole), index.w, index.tails)
            if c < index.w.context and u.stem in doc.context:
                c = index.w.context
            query_cover += w * c
            if c in (index.w.whole, index.w.as_part, index.w.as_affix) or (c == index.w.all_parts
                                                                             and u.stem in doc.parts):
                strong_cover += w
        phrase_cover = 0.0
        for phrase in doc.phrases:
            weighted = [(u, index.weight(u)) for u in phrase.units if u.stem not in index.ignore]
            total = sum(w for _, w in weighted)
            if total:
                covered = sum(w * _credit(u, q_whole, q_parts, q_affix, index.w) for u, w in weighted)
                phrase_cover = max(phrase_cover, covered / total)
        query_cover /= q_weight
        strong_cover /= q_weight
        score = index.phrase_weight * phrase_cover + (1 - index.phrase_weight) * query_cover
        results.append(Scored(doc.id, doc.title, score, phrase_cover, query_cover, strong_cover))
    results.sort(key=lambda r: (-r.score, r.id))
    return results[:limit]


def test_search_scores_exactly_as_credit_defines(assistant):
    """The prepared checks of `search` give the very scores of asking `_credit` for every document,
    on every question of the evaluation set."""
    from pathlib import Path

    from bot.evaluation import load_cases
    from bot.knowledge.question import read_question
    cases = load_cases(Path(__file__).parent / "data" / "eval.yaml")
    m = assistant.matcher
    for case in cases:
        units = m.units(read_question(case.question, case.as_of))
        for index in (m.services, m.faqs):
            got = index.search(units, limit=50)
            want = _plain_search(index, units, limit=50)
            assert [(r.id, r.score, r.phrase_cover, r.query_cover, r.strong_cover) for r in got] == \
                   [(r.id, r.score, r.phrase_cover, r.query_cover, r.strong_cover) for r in want], case.question
