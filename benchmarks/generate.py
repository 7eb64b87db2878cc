"""Synthetic, schema-valid content of any size, for benchmarks.

Usage: python benchmarks/generate.py OUT_DIR --districts 100 --services 60 --events 25 --pages 12
Each district gets that many services, programme entries and pages; every
Markdown body is ~340 words of Norwegian text drawn (with a fixed seed) from
the bokmål frequency list wordfreq ships. The same arguments give the same files.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from wordfreq import top_n_list

DAYS = ["mon", "tue", "wed", "thu", "fri"]
CATEGORIES = ["helse", "familie", "nav", "kultur", "frivillighet", "eldre", "deltakelse", "moteplass"]


def words(rng: random.Random, vocab: list[str], n: int) -> str:
    out, sentence = [], []
    for _ in range(n):
        sentence.append(rng.choice(vocab))
        if len(sentence) >= rng.randint(8, 16):
            out.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    if sentence:
        out.append(" ".join(sentence).capitalize() + ".")
    text = " ".join(out)
    return "\n\n".join(text[i:i + 600] for i in range(0, len(text), 600))


def generate(out: Path, districts: int, services: int, events: int, pages: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    vocab = [w for w in top_n_list("nb", 20000) if w.isalpha() and len(w) > 2]
    if out.exists():
        shutil.rmtree(out)
    (out / "districts").mkdir(parents=True)
    (out / "site.yaml").write_text(
        "name: Testkommune\nbase_url: https://bench.example.no/\naccessibility_statement: https://uustatus.no/x\n"
        "categories:\n" + "".join(f"  - {{slug: {c}, name: {c.capitalize()}}}\n" for c in CATEGORIES), "utf-8")
    files = 1
    for d in range(districts):
        base = out / "districts" / f"del-{d:04d}"
        (base / "services").mkdir(parents=True)
        (base / "programme").mkdir()
        (base / "pages").mkdir()
        (base / "district.yaml").write_text(
            f"name: Kommunedel {d}\nofficial_name: Kommunedel {d} og omegn\nintro: Knutepunktet i kommunedel {d}.\n"
            f"hub:\n  name: Knutepunkt {d}\n  address: Storgata {d}, 3000 By\n  hours:\n    weekly:\n"
            + "".join(f'      {day}: "09:00-16:00"\n' for day in DAYS), "utf-8")
        for s in range(services):
            (base / "services" / f"tjeneste-{s:03d}.md").write_text(
                f"---\ntitle: Tjeneste {s} {rng.choice(vocab)}\nservice: tjeneste-{s:03d}\n"
                f"category: {CATEGORIES[s % len(CATEGORIES)]}\nsummary: {words(rng, vocab, 12)}\n"
                f"keywords: [\"{rng.choice(vocab)}\", \"{rng.choice(vocab)}\"]\n---\n"
                f"{words(rng, vocab, 340)}\n", "utf-8")
        for e in range(events):
            when = (f"repeat:\n  days: [{DAYS[e % 5]}]\n  from: 2026-08-17\n  until: 2027-06-18\n" if e % 2 else
                    f"date: 2026-12-{1 + e % 28:02d}\n")
            (base / "programme" / f"okt-{e:03d}.md").write_text(
                f"---\ntitle: Økt {e} {rng.choice(vocab)}\n{when}start: \"{10 + e % 8}:00\"\nend: \"{11 + e % 8}:30\"\n"
                f"service: tjeneste-{e % max(services, 1):03d}\n---\n{words(rng, vocab, 340)}\n", "utf-8")
        for p in range(pages):
            (base / "pages" / f"side-{p:03d}.md").write_text(
                f"---\ntitle: Side {p} {rng.choice(vocab)}\norder: {p}\n---\n{words(rng, vocab, 340)}\n", "utf-8")
        files += 1 + services + events + pages
    return files


def demo_copies(demo: Path, out: Path, copies: int) -> int:
    """The demo content with each district ``copies`` times (``bragernes``, ``bragernes-2`` …): the
    real pages (maps, plans, translations) at the scale the issues measure ("the demo ×20").
    Copies get a name and plan IDs of their own (``check`` refuses two plans with one ID)."""
    import re

    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(demo, out)
    originals = sorted(d for d in (out / "districts").iterdir() if d.is_dir())
    for d in originals:
        for k in range(2, copies + 1):
            copy = d.with_name(f"{d.name}-{k}")
            shutil.copytree(d, copy)
            y = copy / "district.yaml"
            y.write_text(y.read_text("utf-8").replace("\nname: ", f"\nname: K{k} ", 1)
                         .replace('official_name: "', f'official_name: "K{k} ', 1), "utf-8")
            for plan in (copy / "planer").glob("*.md"):
                plan.write_text(re.sub(r"^(plan_id: *\"?[^\"\n]*?)(\"?)$", lambda m, k=k: f"{m[1]}{k}{m[2]}",
                                       plan.read_text("utf-8"), flags=re.M), "utf-8")
    return len(originals) * copies


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--districts", type=int, default=10)
    ap.add_argument("--services", type=int, default=60)
    ap.add_argument("--events", type=int, default=25)
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    n = generate(a.out, a.districts, a.services, a.events, a.pages, a.seed)
    print(f"{n} content files in {a.out}")


if __name__ == "__main__":
    main()
