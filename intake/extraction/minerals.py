"""The minerals an event concerns, by the catalogue's names for them (리튬, lithium, 몰리브덴,
희토류 → rare earths).

A mineral's name counts where the article tells its event and talks about minerals: next
to another mineral or to words such as 광물, metal, ore, battery. So "lead" the verb and
구리 the city do not count, "핵심광물" / "critical minerals" alone names no mineral (it is no
catalogue name), and "35종의 희소금속" / "35 rare metals" is a scope, kept as a figure.
"""

import re

from .catalogue import MINERAL
from .kinds import weighed_sentences

CONTEXT = re.compile(
    r"광물|금속|광석|광산|광구|매장|원료|소재|제련|정련|선광|채굴|배터리|전지|톤|"
    r"\bminerals?\b|\bmetals?\b|\bores?\b|\bmines?\b|\bmining\b|\bdeposits?\b|\breserves?\b|"
    r"\brefin\w+|\bsmelt\w*|\bbatter(y|ies)\b|\btonnes?\b|\btons\b|\bsupply chains?\b|"
    r"\belements?\b|\bcathodes?\b",
    re.IGNORECASE,
)


def proper_name(text, hit):
    """A capitalised English mineral word inside a name (Korea Zinc, Silicon Valley, Nickel
    Industries) is a company's or a place's, not the mineral."""
    if not hit.text[:1].isupper() or hit.text.isupper():
        return False
    before = text[max(0, hit.start - 30) : hit.start].rstrip()
    after = text[hit.end : hit.end + 30].lstrip()
    previous = re.search(r"([A-Za-z][\w'’-]*)$", before)
    following = re.match(r"[A-Z][a-z]", after)
    sentence_start = not before or before.endswith((".", "\n", ":", "—"))
    return bool(following) or (
        previous is not None and previous.group(1)[0].isupper() and not sentence_start
    )


def minerals(article):
    """(pk, sentence, hit) of each mineral, at its most telling mention."""
    weights = dict(weighed_sentences(article.sentences))
    hits = [h for h in article.hits_of(MINERAL) if not h.ambiguous]
    found = {}
    for hit in hits:
        sentence = article.sentence(hit.start)
        if sentence is None or weights.get(sentence, 0) < 0.5:
            continue
        if proper_name(article.text, hit):
            continue
        company = [h for h in hits if sentence.contains(h.start) and h.pk != hit.pk]
        if not company and not CONTEXT.search(sentence.text):
            continue
        if hit.pk not in found or weights[sentence] > weights[found[hit.pk][1]]:
            found[hit.pk] = (hit.pk, sentence, hit)
    return list(found.values())
