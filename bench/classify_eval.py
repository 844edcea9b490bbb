"""Evaluate `monitor classify` on ../shared/data/gold/dev.jsonl: per-language label P/R/F1, violation macro-F1,
sanction micro-F1, fine exact-match accuracy and throughput.

    python bench/classify_eval.py [--gold PATH] [--json] [--in-process] [--errors]

The gold file is read from ../shared relative to the repository root; when it is absent the script says so and
exits 2. Classification runs through the real `monitor classify` command (console script, else
`python -m monitor`); if neither can run, it falls back to the in-process classifier and prints a note.
Throughput (notices/s) is measured in-process on one core, so process start-up does not count: one Classifier
(rules compiled once), one warm-up pass, then repeated passes over the same dev notices for at least --seconds
(default 2) per figure; the output says how many passes. Wall-clock and this process's CPU time are both given (on a
shared machine the CPU-time figure is the one that says what the code costs). Per-language rates use the same method
on each language's notices alone.

Evidence: every violation and sanction id in the output must carry an evidence string; the script counts labels
without one (must be 0) and evidence strings that are not verbatim in the normalised title + text (`other` excepted:
its evidence says that no rule matched).

Gold fine per record: zh → labels.fine_amount_cny; en → labels.penalty_usd when the key exists (SEC releases),
else the sum of the respondents' fine_<currency> amounts (FCA/FINRA/law-firm digests), else null.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = REPO.parent / "shared" / "data" / "gold" / "dev.jsonl"


def load_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_fine(rec: dict) -> float | None:
    lab = rec["labels"]
    if rec.get("lang") == "zh":
        return lab.get("fine_amount_cny")
    if "penalty_usd" in lab:
        return lab["penalty_usd"]
    total = None
    for r in lab.get("respondents") or []:
        for k, v in r.items():
            if k.startswith("fine_") and isinstance(v, (int, float)):
                total = (total or 0) + v
    return total if total is not None else lab.get("fine_amount_cny")


def run_cli(recs: list[dict]) -> tuple[list[dict], str]:
    """Classify through the real command; returns (outputs, how)."""
    payload = "".join(json.dumps({"id": r["id"], "title": r.get("title") or "", "text": r.get("text") or "",
                                  "source": (r.get("source") or "").split(" ")[0]}, ensure_ascii=False) + "\n"
                      for r in recs)
    exe = shutil.which("monitor")
    candidates = ([[exe, "classify"]] if exe else []) + [[sys.executable, "-m", "monitor", "classify"]]
    for cmd in candidates:
        try:
            proc = subprocess.run(cmd, input=payload, capture_output=True, text=True, encoding="utf-8", timeout=300,
                                  cwd=REPO)
        except (OSError, subprocess.TimeoutExpired) as exc:
            print(f"note: {' '.join(cmd)} could not run ({exc})", file=sys.stderr)
            continue
        if proc.returncode == 0:
            outs = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
            if len(outs) == len(recs):
                return outs, " ".join(Path(cmd[0]).name if i == 0 else c for i, c in enumerate(cmd))
            print(f"note: {' '.join(cmd)} returned {len(outs)} lines for {len(recs)} notices", file=sys.stderr)
        else:
            print(f"note: {' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[-300:]}", file=sys.stderr)
    print("note: `monitor classify` unavailable; classifying in-process (monitor.classify.classify_jsonl)",
          file=sys.stderr)
    return run_in_process(recs), "in-process"


def run_in_process(recs: list[dict]) -> list[dict]:
    sys.path.insert(0, str(REPO))
    from monitor.classify import classify_jsonl

    buf = io.StringIO()
    lines = (json.dumps({"id": r["id"], "title": r.get("title") or "", "text": r.get("text") or "",
                         "source": (r.get("source") or "").split(" ")[0]}, ensure_ascii=False) for r in recs)
    classify_jsonl(lines, buf)
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def throughput(recs: list[dict], min_seconds: float = 2.0) -> dict:
    """Warm in-process rate on one thread: {'passes', 'n', 'wall_s', 'cpu_s', 'wall_rate', 'cpu_rate'}."""
    sys.path.insert(0, str(REPO))
    from monitor.classify import Classifier

    clf = Classifier()
    items = [(r.get("title") or "", r.get("text") or "", (r.get("source") or "").split(" ")[0]) for r in recs]
    for t, x, s in items:  # warm-up (lazy opencc tables etc.)
        clf.classify(t, x, source=s)
    passes, start, cpu0 = 0, time.perf_counter(), time.process_time()
    while True:
        for t, x, s in items:
            clf.classify(t, x, source=s)
        passes += 1
        el = time.perf_counter() - start
        if el >= min_seconds:
            cpu = time.process_time() - cpu0
            n = passes * len(items)
            return {"passes": passes, "n": n, "wall_s": el, "cpu_s": cpu, "wall_rate": n / el,
                    "cpu_rate": n / cpu if cpu > 0 else float("inf")}


def evidence_check(recs: list[dict], outs: list[dict]) -> dict:
    """Labels without evidence, and evidence not verbatim in the normalised notice (`other` excepted)."""
    sys.path.insert(0, str(REPO))
    from monitor.normalize import detect_lang, normalize_en, normalize_zh

    labels = missing = not_verbatim = 0
    where: list[str] = []
    for r, o in zip(recs, outs):
        t, x = r.get("title") or "", r.get("text") or ""
        norm = normalize_zh if detect_lang(t, x) == "zh" else normalize_en
        full = norm(t) + "\n" + norm(x)
        ev = o.get("evidence") or {}
        for lab in (o.get("violations") or []) + (o.get("sanctions") or []):
            labels += 1
            if not ev.get(lab):
                missing += 1
                where.append(f"{r['id']}:{lab} (none)")
            elif lab != "other" and ev[lab] not in full:
                not_verbatim += 1
                where.append(f"{r['id']}:{lab} (not verbatim)")
    return {"labels": labels, "missing": missing, "not_verbatim": not_verbatim, "where": where}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def fine_equal(pred: dict | None, gold: float | None) -> bool:
    if gold is None:
        return pred is None
    return pred is not None and abs(float(pred.get("amount", -1)) - float(gold)) < 0.01


def name_key(name: str) -> str:
    """Respondent names compared case-, space- and punctuation-insensitively (`Acme, Inc.` = `ACME Inc`)."""
    return re.sub(r"[\s.,'()（）]+", "", name or "").lower()


def evaluate(recs: list[dict], outs: list[dict]) -> dict:
    res: dict = {}
    for lang in sorted({r.get("lang", "?") for r in recs}):
        idx = [i for i, r in enumerate(recs) if r.get("lang") == lang]
        block: dict = {"n": len(idx)}
        for kind in ("violations", "sanctions"):
            tp: Counter = Counter()
            fp: Counter = Counter()
            fn: Counter = Counter()
            for i in idx:
                g = set(recs[i]["labels"].get(kind) or [])
                p = set(outs[i].get(kind) or [])
                for lab in g & p:
                    tp[lab] += 1
                for lab in p - g:
                    fp[lab] += 1
                for lab in g - p:
                    fn[lab] += 1
            labels = sorted(set(tp) | set(fp) | set(fn))
            per = {lab: dict(zip(("p", "r", "f1"), prf(tp[lab], fp[lab], fn[lab])), tp=tp[lab], fp=fp[lab], fn=fn[lab])
                   for lab in labels}
            macro = sum(v["f1"] for v in per.values()) / len(per) if per else 1.0
            micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
            block[kind] = {"per_label": per, "macro_f1": macro, "micro_p": micro[0], "micro_r": micro[1],
                           "micro_f1": micro[2]}
        ok = [fine_equal(outs[i].get("fine"), gold_fine(recs[i])) for i in idx]
        block["fine_exact"] = sum(ok) / len(ok) if ok else 1.0
        block["fine_misses"] = [recs[i]["id"] for i, good in zip(idx, ok) if not good]
        missing_ev = [recs[i]["id"] for i in idx
                      if any(lab not in (outs[i].get("evidence") or {}) for lab in
                             (outs[i].get("violations") or []) + (outs[i].get("sanctions") or []))]
        block["labels_without_evidence"] = missing_ev
        # respondents (informational): names matched after name_key; status where the gold has one
        rtp = rfp = rfn = 0
        for i in idx:
            g = {name_key(x.get("name", "")) for x in recs[i]["labels"].get("respondents") or []} - {""}
            p = {name_key(x.get("name", "")) for x in outs[i].get("respondents") or []} - {""}
            rtp, rfp, rfn = rtp + len(g & p), rfp + len(p - g), rfn + len(g - p)
        block["respondents"] = dict(zip(("p", "r", "f1"), prf(rtp, rfp, rfn)), tp=rtp, fp=rfp, fn=rfn)
        st = [(recs[i]["labels"].get("status"), outs[i].get("status")) for i in idx if "status" in recs[i]["labels"]]
        block["status"] = {"n": len(st), "exact": sum(g == o for g, o in st)}
        res[lang] = block
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--json", action="store_true", help="print machine-readable figures")
    ap.add_argument("--in-process", action="store_true", help="skip the subprocess, classify in-process")
    ap.add_argument("--errors", action="store_true", help="list per-record label differences")
    ap.add_argument("--seconds", type=float, default=2.0, help="minimum timed seconds per throughput figure")
    args = ap.parse_args(argv)
    if not args.gold.exists():
        print(f"gold file not found: {args.gold}\n(the dev set lives in ../shared/data/gold/dev.jsonl next to the "
              f"repository; a fresh clone has no ../shared)", file=sys.stderr)
        return 2
    recs = load_gold(args.gold)
    if args.in_process:
        outs, how = run_in_process(recs), "in-process"
    else:
        outs, how = run_cli(recs)
    res = evaluate(recs, outs)
    tp = {"all": throughput(recs, args.seconds)}
    for lang in sorted(res):
        tp[lang] = throughput([r for r in recs if r.get("lang") == lang], args.seconds / 2)
    evc = evidence_check(recs, outs)
    if args.json:
        print(json.dumps({"runner": how, "notices_per_s": round(tp["all"]["wall_rate"]),
                          "throughput": tp, "evidence": evc, "langs": res}, ensure_ascii=False, indent=1))
        return 0
    print(f"classified {len(recs)} notices via {how}")
    a = tp["all"]
    print(f"throughput (in-process, one thread, warm classifier; {a['passes']} repeated passes over the {len(recs)} "
          f"dev notices = {a['n']:,} classifications in {a['wall_s']:.2f} s wall / {a['cpu_s']:.2f} s CPU):")
    for key, v in tp.items():
        print(f"  {key:3s}: {v['wall_rate']:8,.0f} notices/s wall   {v['cpu_rate']:8,.0f} notices/s CPU time"
              + ("" if key == "all" else f"   ({v['passes']} passes)"))
    ok_ev = evc["missing"] == 0
    print(f"evidence: {evc['labels']} labels, {evc['missing']} without evidence"
          f"{' (every label has evidence)' if ok_ev else ' (MISSING: ' + ', '.join(evc['where'][:10]) + ')'}; "
          f"{evc['not_verbatim']} evidence strings not verbatim in the normalised notice")
    print()
    for lang, block in res.items():
        print(f"== {lang} ({block['n']} notices)")
        for kind in ("violations", "sanctions"):
            print(f"  {kind}:")
            for lab, v in block[kind]["per_label"].items():
                print(f"    {lab:34s} P={v['p']:.2f} R={v['r']:.2f} F1={v['f1']:.2f}  (tp={v['tp']} fp={v['fp']} fn={v['fn']})")
        print(f"  violation macro-F1: {block['violations']['macro_f1']:.3f}")
        print(f"  sanction micro-F1:  {block['sanctions']['micro_f1']:.3f}  "
              f"(P={block['sanctions']['micro_p']:.3f} R={block['sanctions']['micro_r']:.3f})")
        print(f"  fine exact:         {block['fine_exact']:.3f}" +
              (f"  misses: {', '.join(block['fine_misses'])}" if block["fine_misses"] else ""))
        rs = block["respondents"]
        print(f"  respondent names:   P={rs['p']:.3f} R={rs['r']:.3f} F1={rs['f1']:.3f}  (tp={rs['tp']} fp={rs['fp']} "
              f"fn={rs['fn']}; informational)")
        if block["status"]["n"]:
            print(f"  status exact:       {block['status']['exact']}/{block['status']['n']}  (informational)")
        print(f"  labels without evidence: {len(block['labels_without_evidence'])}" +
              (f" ({', '.join(block['labels_without_evidence'])})" if block["labels_without_evidence"] else ""))
        print(f"  throughput:         {tp[lang]['wall_rate']:,.0f} notices/s wall, {tp[lang]['cpu_rate']:,.0f} CPU")
        print()
    print("targets (issue 3): violation macro-F1 >= 0.90, sanction F1 >= 0.95, fine exact >= 0.95, >= 5,000 notices/s")
    for lang, block in res.items():
        marks = [("violation macro-F1", block["violations"]["macro_f1"], 0.90),
                 ("sanction F1", block["sanctions"]["micro_f1"], 0.95), ("fine exact", block["fine_exact"], 0.95)]
        print(f"  {lang}: " + ", ".join(f"{name} {v:.3f} {'ok' if v >= lim else 'BELOW'}" for name, v, lim in marks))
    rate = tp["all"]["wall_rate"]
    print(f"  throughput {rate:,.0f} notices/s wall ({tp['all']['cpu_rate']:,.0f} CPU) "
          f"{'ok' if rate >= 5000 else 'BELOW'} 5,000; labels without evidence {evc['missing']} "
          f"{'ok' if ok_ev else 'BELOW'}")
    print()
    if args.errors:
        for r, o in zip(recs, outs):
            for kind in ("violations", "sanctions"):
                g, p = set(r["labels"].get(kind) or []), set(o.get(kind) or [])
                if g != p:
                    print(f"{r['id']} {kind}: missing {sorted(g - p)} extra {sorted(p - g)}")
            if not fine_equal(o.get("fine"), gold_fine(r)):
                print(f"{r['id']} fine: gold {gold_fine(r)} got {o.get('fine')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
