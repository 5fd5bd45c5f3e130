"""Score extraction against annotated cases: `NAME.expected.json` beside the article
(`NAME.txt`, `.html` or `.pdf`), in the proposal's own schema without evidence.

A field the expected file leaves out is not scored for that case. Single values (the
event's date at its precision, kind, status, the place, the publication date, the
language) count as right or wrong; lists (countries, institutions, people, minerals,
figures, stages, matching records) give recall and precision over all cases together.
`given` holds what the admin or the page's metadata supplies (`published`, `language`),
passed to the extraction as `--published` and `--language` would be.
"""

import datetime
import json
import resource
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from partners.names import compact

from .extraction import extract
from .extraction.article import Records
from .reading import read_upload

SINGLE = ["language", "published", "event.date", "event.kind", "event.status", "place"]
LISTS = ["countries", "institutions", "people", "minerals", "figures", "stages", "matches"]
FORMS = (".txt", ".html", ".htm", ".pdf")


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    found: int = 0  # for lists: how many were proposed
    misses: list = field(default_factory=list)

    @property
    def recall(self):
        return self.right / self.total if self.total else None

    @property
    def precision(self):
        return self.right / self.found if self.found else None


def case_text(expected_path, text_dirs):
    name = expected_path.name.removesuffix(".expected.json")
    for folder in [expected_path.parent, *text_dirs]:
        for suffix in FORMS:
            candidate = Path(folder) / f"{name}{suffix}"
            if candidate.exists():
                return candidate
    return None


def get(data, dotted):
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return KeyError
        data = data[part]
    return data


def place_right(expected, found):
    if expected is None:
        return found is None or not (found.get("city_en") or found.get("city_ko"))
    if found is None:
        return False
    if (expected.get("country") or None) != (found.get("country") or None):
        return False
    wanted = {compact(expected.get(k) or "") for k in ("city_en", "city_ko")} - {""}
    got = {compact(found.get(k) or "") for k in ("city_en", "city_ko")} - {""}
    return (not wanted and not got) or bool(wanted & got)


def keys(field_name, items):
    """What identifies a list item for scoring."""
    if field_name == "stages":
        return list(items)
    if field_name == "countries":
        return [item["code"] for item in items]
    if field_name == "minerals" or field_name == "matches":
        return [item["slug"] for item in items]
    if field_name == "people":
        return [compact(item["name"]) for item in items]
    if field_name == "institutions":
        return [
            item["slug"] or "new:" + compact(item.get("name_ko") or item.get("name_en") or "")
            for item in items
        ]
    raise ValueError(field_name)


def figures_right(expected, found):
    """Expected figures matched by value (within half a percent) and, where both give
    one, unit; each proposed figure matches at most one."""
    left = list(found)
    right, missed = 0, []
    for wanted in expected:
        value = Decimal(str(wanted["value"]))
        match = next(
            (
                f
                for f in left
                if abs(Decimal(str(f["value"])) - value) <= abs(value) / 200
                and (not wanted.get("unit") or not f.get("unit") or wanted["unit"] == f["unit"])
            ),
            None,
        )
        if match is None:
            missed.append(f"{wanted['value']} {wanted.get('unit', '')}".strip())
        else:
            left.remove(match)
            right += 1
    extra = [f"{f['value']} {f.get('unit', '')}".strip() for f in left]
    return right, missed, extra


def score_case(name, expected, proposal, tallies):
    for dotted in SINGLE:
        wanted = get(expected, dotted)
        if wanted is KeyError:
            continue
        got = get(proposal, dotted)
        got = None if got is KeyError else got
        ok = place_right(wanted, got) if dotted == "place" else wanted == got
        tally = tallies.setdefault(dotted, Tally())
        tally.total += 1
        tally.right += ok
        if not ok:
            shown = (
                got
                if dotted != "place"
                else got and (got.get("city_en") or got.get("city_ko"), got.get("country"))
            )
            tally.misses.append(f"{name}: {shown!r}, expected {wanted!r}")
    for field_name in LISTS:
        if field_name not in expected:
            continue
        tally = tallies.setdefault(field_name, Tally())
        wanted, got = expected[field_name], proposal.get(field_name, [])
        if field_name == "figures":
            right, missed, extra = figures_right(wanted, got)
            tally.total += len(wanted)
        else:
            wanted_keys, got_keys = set(keys(field_name, wanted)), set(keys(field_name, got))
            right = len(wanted_keys & got_keys)
            missed, extra = sorted(wanted_keys - got_keys), sorted(got_keys - wanted_keys)
            tally.total += len(wanted_keys)
            got = got_keys
        tally.right += right
        tally.found += len(got)
        if missed:
            tally.misses.append(f"{name}: missing {', '.join(map(str, missed))}")
        if extra:
            tally.misses.append(f"{name}: extra {', '.join(map(str, extra))}")
    if expected.get("matches"):
        tally = tallies.setdefault("record proposed", Tally())
        tally.total += 1
        wanted = {m["slug"] for m in expected["matches"]}
        ok = bool(wanted & {m["slug"] for m in proposal.get("matches", [])})
        tally.right += ok
        if not ok:
            tally.misses.append(f"{name}: {sorted(wanted)} not proposed")


def evaluate(folder, text_dirs=(), write=None):
    """Score every case in `folder`. Returns (tallies, timings, peak memory in MB,
    missing texts)."""
    tallies, timings, missing = {}, [], []
    records = Records.load()
    cases = sorted(Path(folder).glob("*.expected.json"))
    warmed = False
    for path in cases:
        text_path = case_text(path, text_dirs)
        if text_path is None:
            missing.append(path.name)
            continue
        expected = json.loads(path.read_text(encoding="utf-8"))
        given = expected.get("given", {})
        reading = read_upload(text_path.name, text_path.read_bytes())
        published = given.get("published") or reading.published or None
        published = datetime.date.fromisoformat(published) if published else None
        if not warmed:  # the first article pays for the name index; time the warm ones
            extract(reading.text, published=published, language=given.get("language"))
            warmed = True
        started = time.perf_counter()
        proposal = extract(
            reading.text, published=published, language=given.get("language"), records=records
        )
        timings.append((path.name.removesuffix(".expected.json"), time.perf_counter() - started))
        score_case(path.name.removesuffix(".expected.json"), expected, proposal, tallies)
        if write is not None:
            write(path.name, proposal)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return tallies, timings, peak, missing


def report(tallies, timings, peak):
    """The scores as the text `intake evaluate` prints."""
    lines = [f"{'field':<18} {'recall':>8} {'precision':>10} {'right':>7}"]
    order = SINGLE + LISTS + ["record proposed"]
    for name in order:
        tally = tallies.get(name)
        if tally is None:
            continue
        recall = f"{tally.recall:.0%}" if tally.recall is not None else "—"
        precision = (
            ""
            if name in SINGLE or name == "record proposed"
            else (f"{tally.precision:.0%}" if tally.precision is not None else "—")
        )
        lines.append(f"{name:<18} {recall:>8} {precision:>10} {tally.right:>3}/{tally.total:<3}")
    if timings:
        slowest = max(timings, key=lambda t: t[1])
        mean = sum(t for _n, t in timings) / len(timings)
        lines.append(
            f"\n{len(timings)} articles; {mean * 1000:.0f} ms per article warm "
            f"(slowest {slowest[0]}: {slowest[1] * 1000:.0f} ms); peak memory {peak:.0f} MB"
        )
    misses = [(name, miss) for name in order if name in tallies for miss in tallies[name].misses]
    if misses:
        lines.append("\nMisses:")
        lines.extend(f"  {name}: {miss}" for name, miss in misses)
    return "\n".join(lines)
