"""Hostile Markdown: how long the worst body of each shape takes, with and without the limits.

Usage: python benchmarks/hostile_markdown.py [--sizes 40000 1000000] [--timeout 60] [--family NAME ...]

For every shape that makes Python-Markdown slow (nested brackets, unpaired brackets, nested lists
and quotes, long runs of inline marks, raw HTML, thousands of headings in one paragraph, ...) and
each size, it prints: whether a body of that size passes the limits (``hub.content.markup.
limit_problem``), how long that check takes, how long the conversion takes without the limits
(capped at --timeout), and the largest body of that shape the limits let through with its
conversion time: the worst a coordinator (or anyone with write access) can make one file cost.
Each conversion runs in a fresh process. Prints a Markdown table for docs/quality.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from collections.abc import Callable

from hub.content import markup

Shape = Callable[[int], str]

#: Each shape made of ``k`` repetitions of its unit (grows with k).
SHAPES: dict[str, Shape] = {
    "nested brackets [[[…]]]": lambda k: "[" * k + "a" + "]" * k,
    "unpaired brackets [[[": lambda k: "[" * k,
    "unclosed links [a](": lambda k: "[a](" * k,
    "links in link text": lambda k: "[" * k + "a" + "](b)" * k,
    "nested list markers - - -": lambda k: "- " * k + "a",
    "nested quotes > > >": lambda k: "> " * k + "a",
    "quote levels, one a line": lambda k: "".join(">" * i + " a\n" for i in range(1, k + 1)),
    "list indented a level a line": lambda k: "".join("    " * i + "- a\n" for i in range(k)),
    "flat list": lambda k: "- a\n" * k,
    "list of long items": lambda k: ("- " + "ord " * 200 + "\n") * k,
    "emphasis *a *a": lambda k: "*a " * k,
    "nested emphasis *_*_": lambda k: "*_" * k + "a" + "_*" * k,
    "backticks": lambda k: "`a" * k,
    "entities &amp;": lambda k: "&amp;" * k,
    "escapes \\*": lambda k: "\\*" * k,
    "autolinks <http://…>": lambda k: "<https://a.no> " * k,
    "raw HTML <div> in one paragraph": lambda k: "<div>" * k,
    "raw HTML <div>, a paragraph each": lambda k: "<div>\n\n" * k,
    "HTML comments": lambda k: "<!-- a -->\n" * k,
    "paragraphs": lambda k: "a\n\n" * k,
    "headings # in one paragraph": lambda k: "# a\n" * k,
    "setext headings in one paragraph": lambda k: "a\n=\n" * k,
    "rules ---": lambda k: "---\n\n" * k,
    "link definitions": lambda k: "".join(f"[a{i}]: https://a.no\n" for i in range(k)),
    "reference links": lambda k: "[a]: https://a.no\n\n" + "[x][a] " * k,
    "indented code": lambda k: "    kode\n" * k,
    "fenced code": lambda k: "```\na\n```\n" * k,
    "table rows": lambda k: "|a|b|\n|-|-|\n" + "|x|y|\n" * k,
    "wide table": lambda k: "|" + "a|" * k + "\n|" + "-|" * k + "\n",
    "prose": lambda k: "Helsestasjonen gir råd til foreldre med små barn. " * k,
}


def largest(shape: Shape, size: int, accepted: Callable[[str], bool] = lambda _: True) -> int:
    """The largest repetition count whose text is at most ``size`` characters and ``accepted``."""
    lo, hi = 0, 1
    while len(shape(hi)) <= size and accepted(shape(hi)):
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if len(shape(mid)) <= size and accepted(shape(mid)):
            lo = mid
        else:
            hi = mid
    return lo


def _convert(text: str, answer: multiprocessing.connection.Connection) -> None:
    started = time.perf_counter()
    try:
        markup.render(text)
        answer.send(("", time.perf_counter() - started))
    except RecursionError:
        answer.send(("RecursionError", time.perf_counter() - started))


def convert_seconds(text: str, timeout: float) -> str:
    """Conversion time in a fresh process (the text is handed over by fork), or why it did not end."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_convert, args=(text, send))
    proc.start()
    send.close()
    if not receive.poll(timeout):
        proc.kill()
        proc.join()
        return f"> {timeout:.0f} s"
    error, seconds = receive.recv()
    proc.join()
    return f"{seconds:.2f} s" + (f" ({error})" if error else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40_000, 1_000_000])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--family", nargs="*", default=None, help="only these shapes (names as printed)")
    args = parser.parse_args()
    print("| shape | size | passes the limits | check | conversion without limits | largest accepted | "
          "its conversion |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for name, shape in SHAPES.items():
        if args.family and name not in args.family:
            continue
        for size in args.sizes:
            text = shape(largest(shape, size))
            started = time.perf_counter()
            problem = markup.limit_problem(text)
            check = time.perf_counter() - started
            raw = convert_seconds(text, args.timeout)
            if problem is None:
                ok, worst, worst_time = "yes", len(text), raw
            else:
                best = shape(largest(shape, size, lambda t: markup.limit_problem(t) is None))
                ok, worst, worst_time = f"no: {problem[1]}", len(best), convert_seconds(best, args.timeout)
            print(f"| {name} | {len(text):,} | {ok} | {check:.3f} s | {raw} | {worst:,} | {worst_time} |", flush=True)


if __name__ == "__main__":
    main()
