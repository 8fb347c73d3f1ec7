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
