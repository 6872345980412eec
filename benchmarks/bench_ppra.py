"""The PPRA checker against the labelled set (benchmarks/data/ppra_labelled_*.yaml, 156 texts written for
the project; fictional names and places): precision and recall per PPRA point and overall, the share of
compliant texts flagged block or warn, and the time per 1,000 words.

Run with `make bench` or `.venv/bin/pytest -p no:xdist --ds=config.settings.bench -m benchmark benchmarks -k ppra -s`.
Even-numbered texts are the development half, odd-numbered ones the held-out half; both are reported.
benchmarks/data/ppra_blind_d.yaml (30 texts) was written after tuning and is never tuned on; it is
reported apart and only the speed target is asserted on it. benchmarks/data/ppra_blind_e.yaml (51 texts) was
written and committed before the next round of tuning (2 Dec 2026) and is reported apart the same way.
ppra_blind_g.yaml and ppra_blind_h.yaml were written and measured before the third round (untuned numbers in
results/ppra_blind_gh_untuned.json); their misses were read while generalising, so after that round they are
reported as blind but no longer unseen. ppra_blind_i.yaml was written after the third round and run once before
any change (results/ppra_blind_i_untuned.json); its misses were read in the fourth round, after which
ppra_blind_j.yaml was written and run once (results/ppra_blind_j_untuned.json). In the fifth round (issue 17)
ppra_labelled_r4.yaml was written from the gap classes and tuned on; ppra_blind_m.yaml (88 texts, written blind,
without reading the engine) was run once after that tuning (results/ppra_blind_m_untuned.json: recall 1/4/8/12
0.526/0.667/0.6/0.7, precision 0.846, compliant flagged 0.062). In the sixth round (ppra7, 4 Dec 2026) M's misses
were read and fixed by class, so M, like G to J, is now a training set: still reported apart, no longer unseen.
ppra_blind_n.yaml (190 texts, 4 Dec 2026, written blind under the conventions below, without reading the engine)
was run once after the eighth round (results/ppra_blind_n_untuned.json: recall 1/4/8/12 0.865/0.682/0.667/0.722,
precision 0.739, compliant flagged 0.273); in the ninth round (ppra9) its texts and misses were read and fixed by
class, so N too is now a training set: still reported apart, no longer unseen.
ppra_blind_p.yaml (149 texts, 4 Dec 2026, written blind under N's conventions, without reading the engine) was
run once after the ninth round (results/ppra_blind_p_untuned.json: recall 1/4/8/12 0.852/0.4/0.8/0.619, precision
0.736, compliant flagged 0.326); in the tenth round (ppra10) its texts and false alarms were read and fixed by class,
so P too is now a training set: still reported apart, no longer unseen.
ppra_blind_q.yaml (130 texts, 4 Dec 2026, written blind under N's conventions, without reading the engine) was
run once after the tenth round (results/ppra_blind_q_untuned.json); in the eleventh round (ppra11) its texts and
misses were read and fixed by class, so Q too is now a training set: still reported apart, no longer unseen.
ppra_blind_r.yaml (25 texts, partial: its writer ran out of time), ppra_blind_s.yaml (120 texts) and
ppra_blind_t.yaml (100 texts), 5 Dec 2026, written blind under N's conventions by three other helpers without
reading the engine, were run once after the eleventh round (results/ppra_blind_rst_untuned.json) and never tuned on.
Blind sets are printed apart from the training sets; the honest figure for unseen text is each set's first,
untuned run.

Labelling convention for a child in conflict with the law (settled in the sixth round): a text that identifies
such a child breaches points 1 and 12 (PPRA point 1 names the suspected, charged or convicted child; point 12 is
UU SPPA), so it is labelled [1, 12]; the engine reports the point-12 findings plus one point-1 finding. The older
sets' ABH identity texts, labelled [12] when written, were relabelled [1, 12]; their *_untuned.json files keep
the figures measured under the old labels.
Round-eight conventions (ppra8; PPRA's child identity is name, photo, face, relatives' names, address, village,
school, and point 1 covers every child), each reported as one extra finding of the added point on the most
severe source finding: a found child still identified is [1, 9] (an identifying story kept online after the
find is [9]; a child still missing named in the family's appeal is compliant); the face of a child in conflict
with the law in a photo or video is [1, 4, 12] (other children's pictures: 4, plus 1 only when the words
identify the child); point 8 with the offender's full name or address is [1, 8] (initials, age, job or a vague
location: [8]). 33 older texts were relabelled to match (listed in each set's header).
Results: benchmarks/results/ppra.json and ppra.md. Pure Python: no database, no model, no network.

Adversarial scaling (after a security review found the checker super-linear on crafted text): each family
below is a worst case for one regex or scanner (repeated cue words and separators, long capitalised runs and
hyphen chains, no sentence end); its CPU time at 10,000 and 50,000 characters must grow about linearly
(ratio <= 8, the 10k time floored at 5 ms against timer noise) and stay under 2 s at 50,000. Written to the
"adversarial" key of ppra.json and a section of ppra.md.
"""

import datetime as dt
import gc
import json
import os
import platform
import subprocess
import time
from pathlib import Path

import pytest

from sinergi.publications.ppra.engine import check
from sinergi.publications.ppra.evaluate import POINTS, evaluate, load_labelled

pytestmark = pytest.mark.benchmark

DATA = Path(__file__).resolve().parent / "data"
RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"identity_recall": 0.95, "precision": 0.85, "false_alarm_rate": 0.10, "ms_per_1000_words": 100.0}
IDENTITY_POINTS = (1, 4, 8, 12)
BLIND_SETS = (
    ("blind", "ppra_blind_d.yaml"),
    ("blind_e", "ppra_blind_e.yaml"),
    ("blind_g", "ppra_blind_g.yaml"),
    ("blind_h", "ppra_blind_h.yaml"),
    ("blind_i", "ppra_blind_i.yaml"),
    ("blind_j", "ppra_blind_j.yaml"),
    ("blind_m", "ppra_blind_m.yaml"),
    ("blind_n", "ppra_blind_n.yaml"),
    ("blind_p", "ppra_blind_p.yaml"),
    ("blind_q", "ppra_blind_q.yaml"),
    ("blind_r", "ppra_blind_r.yaml"),
    ("blind_s", "ppra_blind_s.yaml"),
    ("blind_t", "ppra_blind_t.yaml"),
)
BLIND_TITLES = {
    "blind": "Blind set D (written after the first tuning round, never tuned on)",
    "blind_e": "Blind set E (written before the second tuning round, never tuned on)",
    "blind_g": "Blind set G (written before the third round; its misses were read during it)",
    "blind_h": "Blind set H (written before the third round; its misses were read during it)",
    "blind_i": "Blind set I (written after the third round; its misses were read in the fourth)",
    "blind_j": "Blind set J (written after the fourth round, never tuned on)",
    "blind_m": "Blind set M (written blind, without reading the engine; its misses were read in the sixth round)",
    "blind_n": "Blind set N (190 texts written blind, without reading the engine; read in the ninth round)",
    "blind_p": "Blind set P (149 texts written blind, without reading the engine; first run after round nine)",
    "blind_q": "Blind set Q (130 texts written blind, without reading the engine; read in the eleventh round)",
    "blind_r": "Blind set R (25 texts written blind, without reading the engine; first run after round eleven)",
    "blind_s": "Blind set S (120 texts written blind, without reading the engine; first run after round eleven)",
    "blind_t": "Blind set T (100 texts written blind, without reading the engine; first run after round eleven)",
}


def _commit() -> str:
    try:
        argv = ["git", "rev-parse", "--short", "HEAD"]
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _table(name: str, m: dict) -> list[str]:
    lines = [
        f"### {name}: {m['texts']} texts ({m['compliant_texts']} compliant), {m['words']} words",
        "",
        "| Point | Support | Precision | Recall |",
        "|---|---|---|---|",
    ]
    for p in POINTS:
        row = m["per_point"][p]
        lines.append(f"| {p} | {row['support']} | {row['precision']} | {row['recall']} |")
    lines += [
        "",
        f"- Overall precision **{m['precision']}**, recall **{m['recall']}** (micro-averaged over points)",
        f"- Compliant texts flagged block/warn: **{m['false_alarm_rate']}**",
        f"- Time per 1,000 words (best of 5 passes): **{m['cpu_ms_per_1000_words']} ms CPU**, "
        f"{m['ms_per_1000_words']} ms wall clock",
        "",
    ]
    return lines


def _blind_summary(report: dict) -> list[str]:
    """One line per blind set: the four targets, met or not (the honest numbers; training sets are tuned)."""
    lines = [
        "## Targets on the blind sets",
        "",
        "| Set | Recall 1 / 4 / 8 / 12 (≥ 0.95) | Precision (≥ 0.85) | Compliant flagged (≤ 0.10) | CPU ms / 1,000 words (≤ 100) |",
        "|---|---|---|---|---|",
    ]
    for key, _name in BLIND_SETS:
        m = report[key]
        recalls = [m["per_point"][p]["recall"] for p in IDENTITY_POINTS]
        ok_recall = all(r is None or r >= TARGETS["identity_recall"] for r in recalls)
        cells = [
            " / ".join("–" if r is None else str(r) for r in recalls) + (" ✓" if ok_recall else " ✗"),
            f"{m['precision']}" + (" ✓" if m["precision"] >= TARGETS["precision"] else " ✗"),
            f"{m['false_alarm_rate']}" + (" ✓" if m["false_alarm_rate"] <= TARGETS["false_alarm_rate"] else " ✗"),
            f"{m['cpu_ms_per_1000_words']}"
            + (" ✓" if m["cpu_ms_per_1000_words"] <= TARGETS["ms_per_1000_words"] else " ✗"),
        ]
        lines.append(f"| {key.removeprefix('blind_').upper() if key != 'blind' else 'D'} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def test_ppra_checker_quality_and_speed():
    items = load_labelled(list(DATA.glob("ppra_labelled_*.yaml")))
    check("Pemanasan: gazetteer dan aturan dimuat sekali.")  # warm-up: the gazetteer and the rules load once
    report = {
        "load_average": os.getloadavg()[0],
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "targets": TARGETS,
    }
    for split in ("dev", "heldout", "all"):
        chosen = [i for i in items if split == "all" or i.split == split]
        report[split] = evaluate(chosen, repeat=5)
    # Written after tuning and never tuned on: the closest to the unseen outside evaluation.
    for key, name in BLIND_SETS:
        report[key] = evaluate(load_labelled([DATA / name]), repeat=5)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ppra.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    md = [
        "# PPRA checker benchmark",
        "",
        f"{report['date']}, commit {report['commit']}, {report['machine']}, load average {report['load_average']:.1f}.",
        "",
        "A text is flagged for a point when the checker gives a block or warn finding with that point.",
        "",
    ]
    md += _blind_summary(report)
    md += _table("Development half", report["dev"]) + _table("Held-out half", report["heldout"])
    md += _table("All training sets", report["all"])
    md += ["## Blind sets (never tuned on; each reported apart)", ""]
    for key, _name in BLIND_SETS:
        md += _table(BLIND_TITLES[key], report[key])
    (RESULTS / "ppra.md").write_text("\n".join(md))
    print("\n".join(md))
    # CPU time: on a shared 2-CPU machine the wall clock measures the neighbours too.
    for key, _name in BLIND_SETS:
        assert report[key]["cpu_ms_per_1000_words"] <= TARGETS["ms_per_1000_words"], key
    for split in ("dev", "heldout"):
        m = report[split]
        for p in IDENTITY_POINTS:
            assert m["per_point"][p]["recall"] >= TARGETS["identity_recall"], (split, p)
        assert m["precision"] >= TARGETS["precision"], split
        assert m["false_alarm_rate"] <= TARGETS["false_alarm_rate"], split
        assert m["cpu_ms_per_1000_words"] <= TARGETS["ms_per_1000_words"], split


def _rep(unit: str, n: int, head: str = "", tail: str = "") -> str:
    body = n - len(head) - len(tail)
    return head + (unit * (body // len(unit) + 1))[:body] + tail


_CASE = "Kasus pencabulan anak. "
# family: (what it attacks, text of n characters)
ADVERSARIAL = {
    "kinship_om_korban": ("point 8: act after 'om korban'", lambda n: _rep("om korban ", n, "Kasus pencabulan. ")),
    "kinship_om_korban_act": (
        "point 8: act at the text end",
        lambda n: _rep("om korban ", n, "Kasus pencabulan ", " mencabuli."),
    ),
    "kinship_offender_ties": ("point 8: offender ties", lambda n: _rep("pelaku ayah tiri ", n, "Kasus pencabulan. ")),
    "kinship_offender_names": (
        "point 8: offender names by the tie",
        lambda n: _rep("Pelaku, Abc Def, paman korban, ", n, "Kasus pencabulan. "),
    ),
    "victim_kinship": ("point 8: victim ties", lambda n: _rep("pencabulan anak tirinya ", n, "pencabulan ")),
    "victim_kinship_offender": (
        "point 8: ties after an offender",
        lambda n: _rep("mencabuli anak tirinya ", n, "Kasus pelaku "),
    ),
    "age_words_masih": ("AGE_WORDS_RE qualifiers", lambda n: _rep("masih ", n, "anak ")),
    "age_words_berusia": ("AGE_WORDS_RE cues", lambda n: _rep("berusia ", n)),
    "age_words_many": ("ages in words", lambda n: _rep("bocah enam tahun ", n, "Kasus pencabulan. ")),
    "age_digits_many": ("ages in digits", lambda n: _rep("anak 5 tahun ", n, "Kasus pencabulan. ")),
    "age_after_offender": ("point 12: age after offender", lambda n: _rep("pelaku AR (15) ", n, "Kasus pencabulan. ")),
    "age_commas": ("age pattern ', 15 ,'", lambda n: _rep(", ", n)),
    "caps_hyphen_chain": ("school_pattern: A-A-A-", lambda n: _rep("A-", n)),
    "caps_apostrophe_chain": ("school_pattern: A'A'A'", lambda n: _rep("A'", n)),
    "caps_words": ("capitalised run", lambda n: _rep("Abc ", n)),
    "caps_words_level": ("school_pattern: X Y High", lambda n: _rep("Abc Def High ", n)),
    "caps_lead_words": ("names: leading non-names", lambda n: _rep("Korban Anak ", n, _CASE)),
    "schools_many": ("schools, finding de-duplication", lambda n: _rep("SDN 1 Abc ", n, _CASE)),
    "villages_many": ("village_pattern", lambda n: _rep("Desa Abc Def ", n, _CASE)),
    "bare_villages": ("gazetteer villages", lambda n: _rep("Desa Abadi di Ababi ", n, _CASE)),
    "addresses_rt": ("address patterns RT/RW", lambda n: _rep("RT 1 RW 2 ", n, _CASE)),
    "addresses_jalan": ("address pattern Jalan", lambda n: _rep("Jalan A-B Jalan ", n, _CASE)),
    "whitespace_after_cue": ("whitespace run after a cue", lambda n: _rep(" ", n, "anak", " x")),
    "whitespace_after_jalan": ("whitespace run after Jalan", lambda n: _rep(" ", n, "Jalan", " x")),
    "word_hyphen_chain": ("WORD_RE: a-a-a-", lambda n: _rep("a-", n)),
    "handles": ("handle_pattern", lambda n: _rep("@abc_d ", n, _CASE)),
    "at_signs": ("handle_pattern: @@@", lambda n: _rep("@", n)),
    "grades": ("grade_pattern", lambda n: _rep("kelas 5 ", n, _CASE)),
    "quotes_child": ("points 3/7: quotes", lambda n: _rep('"aku takut sekali" kata anak itu ', n, _CASE)),
    "quotes_bare": ("points 3/7: short quotes", lambda n: _rep('"abc" ', n, _CASE)),
    "quote_chars": ("_QUOTE_RE: quote marks", lambda n: _rep('"', n)),
    "quote_long": ("_QUOTE_RE: unclosed quotes", lambda n: _rep('"' + "a" * 598 + " ", n, _CASE)),
    "speech_chain": ("point 3: speech verbs", lambda n: _rep("mengaku ", n, "Kasus pencabulan. Anak itu ")),
    "speech_adult_after": (
        "point 3: speech and interview",
        lambda n: _rep("mengaku anak ", n, "Kasus pencabulan. Saat diwawancarai, "),
    ),
    "topic_chain": ("point 3: 'tentang' runs", lambda n: _rep("tentang ", n, "Ia berbincang dengan anak itu ")),
    "topic_ayah": (
        "point 3: topic adults",
        lambda n: _rep("tentang ayah ", n, "Kasus pencabulan. Saat diwawancarai, anak itu bercerita "),
    ),
    "labels": ("point 2: labels", lambda n: _rep("anak nakal ", n, "Kasus. ")),
    "abh_masih_anak": ("point 12: 'masih anak'", lambda n: _rep("masih anak ", n, "ditangkap ", " korban")),
    "abh_offender_far_anak": ("point 12: offender then anak", lambda n: _rep("pelaku a b c d anak ", n, "Kasus ")),
    "abh_child_roles": ("point 12: child roles", lambda n: _rep("anak itu diamankan ", n, "Kasus ")),
    "shelter_words": ("point 6", lambda n: _rep("rumah aman ", n, _CASE)),
    "political_words": ("point 10", lambda n: _rep("kampanye partai ", n, "Kasus. Dinda (9) ")),
    "social_words": ("point 11", lambda n: _rep("instagram ", n, _CASE + "Anak itu ")),
    "visual_sentences": ("point 4", lambda n: _rep("Foto anak korban. ", n, "Kasus pencabulan. @abcde. ")),
    "visual_handles": ("points 4/11", lambda n: _rep("Foto anak @abcde. ", n, "Kasus pencabulan. ")),
    "short_sentences": ("many sentences", lambda n: _rep("Anak. ", n, _CASE)),
    "newlines": ("many lines", lambda n: _rep("anak\n", n, _CASE)),
    "normal_story": (
        "an ordinary story repeated",
        lambda n: _rep(
            "Seorang anak berusia sebelas tahun menjadi korban pencabulan di Desa Sukamaju. Polisi masih memburu pelaku. ",
            n,
        ),
    ),
}
ADVERSARIAL_LIMITS = {"ratio_50k_10k": 8.0, "cpu_s_50k": 2.0, "floor_s_10k": 0.005}


def _cpu_pair(small: str, large: str, repeat: int) -> tuple[float, float]:
    """Best CPU time of each, the two run in turn so that both see the same neighbours on the shared CPUs."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for k, text in enumerate((small, large)):
            start = time.process_time()
            check(text)
            best[k] = min(best[k], time.process_time() - start)
    return best[0], best[1]


def test_ppra_checker_adversarial_scaling():
    check("Pemanasan.")
    # Django's and pytest's objects moved out of the collector's way: a full collection during a 50k check
    # otherwise walks that whole heap, a step cost that made a linear family look 9x slower than at 10k.
    gc.collect()
    gc.freeze()
    rows = {}
    for name, (what, build) in ADVERSARIAL.items():
        small, large = _cpu_pair(build(10_000), build(50_000), 4)
        ratio = large / max(small, ADVERSARIAL_LIMITS["floor_s_10k"])
        rows[name] = {
            "attacks": what,
            "cpu_s_10k": round(small, 4),
            "cpu_s_50k": round(large, 4),
            "ratio": round(ratio, 2),
        }
    gc.unfreeze()
    worst = max(rows.values(), key=lambda r: r["cpu_s_50k"])
    lines = [
        "## Adversarial scaling (CPU seconds per check; limits: 50k/10k ratio <= 8, 50k <= 2 s)",
        "",
        f"{dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}, commit {_commit()}, load average "
        f"{os.getloadavg()[0]:.1f}; the slowest family at 50k: {worst['cpu_s_50k']} s.",
        "",
        "| Family | Attacks | 10k | 50k | Ratio |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {n} | {r['attacks']} | {r['cpu_s_10k']} | {r['cpu_s_50k']} | {r['ratio']} |" for n, r in rows.items()]
    RESULTS.mkdir(exist_ok=True)
    json_path, md_path = RESULTS / "ppra.json", RESULTS / "ppra.md"
    report = json.loads(json_path.read_text()) if json_path.exists() else {}
    report["adversarial"] = {"limits": ADVERSARIAL_LIMITS, "load_average": os.getloadavg()[0], "families": rows}
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    md = md_path.read_text() if md_path.exists() else "# PPRA checker benchmark\n"
    md = md.split("\n## Adversarial scaling")[0].rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    md_path.write_text(md)
    print("\n".join(lines))
    slow = {
        n: r
        for n, r in rows.items()
        if r["ratio"] > ADVERSARIAL_LIMITS["ratio_50k_10k"] or r["cpu_s_50k"] > ADVERSARIAL_LIMITS["cpu_s_50k"]
    }
    assert not slow, slow
