"""The article as the review page shows it: its text cut into parts, the words each proposal
rests on marked (server-side `<mark>`s, each with an id the proposal links to)."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Part:
    text: str
    mark: str = ""  # the <mark>'s id, "" for plain text


def spans(proposal):
    """(start, end, key) of the words behind every proposed value; keys name the value:
    "kind", "date", "place", "institutions.2", "minerals.0" …"""
    found = []
    event = proposal["event"]
    for key in ("date", "kind"):
        if event["mention"][key]:
            found.append((event["mention"][key], key))
    if proposal.get("place"):
        found.append((proposal["place"]["mention"], "place"))
    for name in ("institutions", "countries", "people", "minerals", "figures", "places"):
        for index, row in enumerate(proposal.get(name, [])):
            found.append((row.get("mention") or row["evidence"], f"{name}.{index}"))
    for slug, span in proposal.get("stage_mention", {}).items():
        found.append((span, f"stages.{slug}"))
    return [(span["start"], span["end"], key) for span, key in found if span]


def marked(text, proposal):
    """(parts, anchors): the text's parts in order, and for each proposal key the id of
    the mark that shows its words. Overlapping words share the first mark."""
    anchors, taken = {}, []
    for start, end, key in sorted(spans(proposal), key=lambda s: (s[0], -s[1])):
        holder = next((t for t in taken if t[0] < end and start < t[1]), None)
        if holder is None:
            holder = (start, end, f"ev-{len(taken) + 1}")
            taken.append(holder)
        anchors[key] = holder[2]
    parts, position = [], 0
    for start, end, mark in sorted(taken):
        if start > position:
            parts.append(Part(text[position:start]))
        parts.append(Part(text[start:end], mark))
        position = end
    parts.append(Part(text[position:]))
    return parts, anchors
