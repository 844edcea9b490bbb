"""Evaluate `monitor classify` on ../shared/data/gold/dev.jsonl: per-language label P/R/F1, violation macro-F1,
sanction micro-F1, fine exact-match accuracy and throughput.

    python bench/classify_eval.py [--gold PATH] [--json] [--in-process] [--errors]

The gold file is read from ../shared relative to the repository root; when it is absent the script says so and
exits 2. Classification runs through the real `monitor classify` command (console script, else
`python -m monitor`); if neither can run, it falls back to the in-process classifier and prints a note.
Throughput (notices/s) is measured in-process on one core, so process start-up does not count.

Gold fine per record: zh → labels.fine_amount_cny; en → labels.penalty_usd when the key exists (SEC releases),
else the sum of the respondents' fine_<currency> amounts (FCA/FINRA/law-firm digests), else null.
"""

from __future__ import annotations

import argparse
import io
import json
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


def throughput(recs: list[dict], min_seconds: float = 2.0) -> float:
    sys.path.insert(0, str(REPO))
    from monitor.classify import Classifier

    clf = Classifier()
    items = [(r.get("title") or "", r.get("text") or "", (r.get("source") or "").split(" ")[0]) for r in recs]
    for t, x, s in items:  # warm-up (lazy opencc tables etc.)
        clf.classify(t, x, source=s)
    n, start = 0, time.perf_counter()
    while True:
        for t, x, s in items:
            clf.classify(t, x, source=s)
        n += len(items)
        el = time.perf_counter() - start
        if el >= min_seconds:
            return n / el


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def fine_equal(pred: dict | None, gold: float | None) -> bool:
    if gold is None:
        return pred is None
    return pred is not None and abs(float(pred.get("amount", -1)) - float(gold)) < 0.01


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
        res[lang] = block
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--json", action="store_true", help="print machine-readable figures")
    ap.add_argument("--in-process", action="store_true", help="skip the subprocess, classify in-process")
    ap.add_argument("--errors", action="store_true", help="list per-record label differences")
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
    nps = throughput(recs)
    if args.json:
        print(json.dumps({"runner": how, "notices_per_s": round(nps), "langs": res}, ensure_ascii=False, indent=1))
        return 0
    print(f"classified {len(recs)} notices via {how}; throughput {nps:,.0f} notices/s (in-process, one core)\n")
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
        if block["labels_without_evidence"]:
            print(f"  labels without evidence: {', '.join(block['labels_without_evidence'])}")
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
