"""The library at scale: generate N realistic minutes, import them, then measure.

Prints figures and, as its last line, one JSON object with: docs, import_s (cold), import_per_s,
warm_start_s (process start to the first window showing the newest meeting, catalogue built,
offscreen; median of 3 starts), search_p95_ms (p95 over a fixed list of 1-, 2-, 3- and
4+-character queries of each one's median of 7 runs, as the set of item keys, walked once),
search_tree_p95_ms (the same queries and the two-word ones applied to the tree's filter proxy,
every year's rows asked for as if all were expanded: median of 5 runs each, then p95),
search_view_p95_ms (the same applied as the window does when a query is typed: the proxy, the
tree on screen opening for the result in full, the events and painting that follow, from an
empty filter), typing_p95_ms and typing_max_ms (typing sessions applied key by key as the tree
on screen applies them, the window's reselection included but not its filter panel or viewer,
with no reset between keys: prefixes, backspaces, a second word, a query typed over a short
result; each key's median of 3 runs of the sessions, then p95 and max over the keys,
typing_slowest_key naming the slowest; typing_later_pass_max_ms the longest later pass of the
event loop opening a short result, typing_settled_max_ms the longest from a key to its result
opened in full), grep_p95_ms
(the same queries by reading and scanning every file, the baseline) and their ratio,
filter_p95_ms (20 department + date + kind filters applied to the tree model, median of 5 runs
each, then p95), facet_p95_ms (the filter panel's faceted department counts for the same
filters, as the panel asks for them at each change: median of 5 runs each, then p95), rss_mb
(peak of the window
process with the library open and its background work done; import_rss_mb for the process that
imported, searched and filtered), catalogue_mb (the SQLite file after the import),
first_query_ms (the first one-character query on a library just opened from the catalogue, before
any warm-up: median of 3 opens), first_query_warming_ms (the first two-character query while the
warm-up runs in a thread: median of 3 opens) and search_p95_ms_1char, _2char, _3char, _4char,
_twoword (p95 over every run of each group's queries, the first short one excluded). The import
parses in worker processes (minutes.parallel), so import_per_s depends on the cores: the machine's count is printed.

--catalogue PATH builds the catalogue there and keeps it, with --keep FOLDER for the files:
bench/reopen.py then measures the start, search and filters over it without importing again.

Targets at N=10000: search and filter p95 <= 50 ms, warm start <= 1.5 s, RSS <= 400 MB,
cold import >= 200 minutes/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))

from common import child_env  # noqa: E402

from minutes import seeds_dir  # noqa: E402
from minutes.decode import decode_bytes  # noqa: E402
from minutes.departments import registry  # noqa: E402
from minutes.library import FilterSpec, Library, RoleFilter  # noqa: E402
from tests import variants  # noqa: E402

if TYPE_CHECKING:  # the bench's import and search run without Qt
    from PySide6.QtWidgets import QApplication

    from gui.filter_proxy import MeetingFilterProxy
    from gui.meeting_tree import MeetingTree

QUERIES = [
    "湖", "桥", "医", "港",  # 1 character
    "医保", "古城", "园区", "安全",  # 2
    "实验室", "营商环", "示范区",  # 3
    "姑苏实验室", "城市更新", "高质量发展", "市住建局会同",  # 4+
]  # fmt: skip
TWO_WORD = ["安全 电梯", "湖 医保", "城市更新 市", "实验室 港"]
GROUPS = {"1char": QUERIES[:4], "2char": QUERIES[4:8], "3char": QUERIES[8:11], "4char": QUERIES[11:]}
GROUPS["twoword"] = TWO_WORD
PLACES = [
    "独墅湖",
    "金鸡湖",
    "阳澄湖",
    "石湖",
    "枫桥",
    "宝带桥",
    "太仓港",
    "七浦塘",
    "平江路",
    "山塘街",
    "虎丘",
    "木渎",
]
THEMES = [
    "城市更新",
    "数字经济",
    "生物医药",
    "乡村振兴",
    "养老服务",
    "营商环境",
    "防汛防台",
    "安全生产",
    "医保支付",
    "古城保护",
]
CITY_DEPTS = [d.short for d in registry() if d.group == "市级部门" and d.short.endswith(("局", "委"))]


def make_minutes(template: str, i: int, n: int, rng: random.Random) -> str:
    year = 2000 + i * 26 // max(n, 1)
    date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 360))
    text = re.sub(r"\d{4}(\s*)年", lambda m: f"{year}{m.group(1)}年", template)
    text = re.sub(
        r"(\d{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日([上下]午)",
        lambda m: f"{date.year}年{date.month}月{date.day}日{m.group(2)}",
        text,
        count=1,
    )
    text = re.sub(r"第\s*\d+\s*次常务", f"第{10 + i}次常务", text, count=1)
    text = re.sub(r"〔\d{4}〕\d+号", f"〔{year}〕{i % 97 + 1}号", text)
    for old in rng.sample(CITY_DEPTS, 4):  # other departments lead other items
        text = text.replace(old, rng.choice(CITY_DEPTS))
    text = text.replace("独墅湖", rng.choice(PLACES)).replace("姑苏实验室", rng.choice(PLACES) + "实验室")
    text = re.sub(
        r"《([^》]{4,})》",
        lambda m: f"《{rng.choice(THEMES)}{m.group(1)[2:]}》" if rng.random() < 0.5 else m.group(0),
        text,
    )
    return text


def generate(folder: Path, n: int) -> int:
    rng = random.Random(20201)
    templates = [p.read_text("utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
    layouts = [
        lambda t, i: t,
        lambda t, i: variants.add_markdown(t),
        lambda t, i: variants.rewrap(t, i),
        lambda t, i: variants.web_page(t),
    ]
    encodings = ["utf-8", "gb18030", "utf-16", "utf-8-sig", "utf-8"]
    size = 0
    for i in range(n):
        text = layouts[i % 4](make_minutes(templates[i % 5], i, n, rng), i)
        if i % 5 == 4:
            text = variants.crlf(text)
        data = text.encode(encodings[i % 5])
        sub = folder / f"{2000 + i * 26 // n}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:05d}.txt").write_bytes(data)
        size += len(data)
    return size


def peak_mb() -> float:
    """Peak resident memory of this process (VmHWM)."""
    status = Path("/proc/self/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")) / 1024


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]


WARM = """
import resource, sys, time
from pathlib import Path
from typing import cast
from gui.app import create_application
app = create_application(sys.argv[:1])
from gui.main_window import MainWindow
from gui.settings import Settings
window = MainWindow(Settings(Path(sys.argv[3]) / "warm.ini"), [Path(sys.argv[2])], catalogue=Path(sys.argv[1]))
window.resize(1440, 900)
window.show()
while window.viewer.meeting is None:
    app.processEvents()
    time.sleep(0.001)
app.processEvents()
print("SHOWN", len(window.model.library.meetings), flush=True)
# Then let the background work finish (indexes, texts for short searches, the file check) and
# report the peak memory of this process. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
# fork and exec, so a child would report its parent's peak.
deadline = time.time() + 60
while window.library.is_loading and time.time() < deadline:
    app.processEvents()
    time.sleep(0.01)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print("PEAK", peak, flush=True)
window.close()
"""


def warm_start(db: Path, folder: Path, tmp: Path) -> tuple[float, float, int]:
    env = child_env(str(tmp / "pycache"))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", WARM, str(db), str(folder), str(tmp)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    elapsed = meetings = peak_kb = None
    for line in proc.stdout:
        if line.startswith("SHOWN"):
            elapsed = time.perf_counter() - start
            meetings = int(line.split()[1])
        elif line.startswith("PEAK"):
            peak_kb = int(line.split()[1])
    proc.wait()
    if elapsed is None or peak_kb is None:
        raise RuntimeError("the window never showed")
    return elapsed, peak_kb / 1024, meetings


def filter_specs(library: Library) -> list[FilterSpec]:
    rng = random.Random(7)
    depts = [d for d, c in library.department_counts().most_common(40)]
    years = library.years()
    kinds = [frozenset(), frozenset({"审议"}), frozenset({"听取", "其他"}), frozenset({"审议", "传达"})]
    specs = []
    for k in range(20):
        year = rng.choice(years)
        specs.append(
            FilterSpec(
                departments=frozenset(rng.sample(depts, 1 + k % 3)),
                role=[RoleFilter.ANY, RoleFilter.LEAD, RoleFilter.ATTENDED][k % 3],
                date_from=dt.date(year - k % 5, 1, 1),
                date_to=dt.date(year, 12, 31),
                kinds=kinds[k % 4],
            )
        )
    return specs


def facet_samples(library: Library) -> list[float]:
    samples = []
    for spec in filter_specs(library):
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            library.faceted_department_counts(spec)
            runs.append((time.perf_counter() - start) * 1000)
        samples.append(statistics.median(runs))
    return samples


def filter_samples(library: Library, specs: list[FilterSpec]) -> list[float]:
    """Each spec applied to the tree's filter proxy as the window does (median of 5 runs)."""
    from PySide6.QtWidgets import QApplication

    from gui.filter_proxy import MeetingFilterProxy
    from gui.tree_model import MeetingTreeModel

    _app = QApplication.instance() or QApplication([])
    library.warm()  # as the window does in the background after it first shows
    model = MeetingTreeModel()
    model.set_library(library)
    proxy = MeetingFilterProxy()
    proxy.setSourceModel(model)

    def apply(spec: FilterSpec) -> None:
        proxy.set_spec(spec)
        # What the view asks for: the years, and the meetings of expanded (every) year.
        for row in range(proxy.rowCount()):
            proxy.rowCount(proxy.index(row, 0))

    def reset() -> None:
        proxy.set_spec(FilterSpec())
        library._text_mask = None  # each run searches: a query typed is a new text, never the last one

    return medians(specs, apply, reset)


def medians(specs: list[FilterSpec], apply: Callable[[FilterSpec], object], reset: Callable[[], object]) -> list[float]:
    """Each spec's median time (ms) over 5 runs of apply(spec), reset() after each, untimed."""
    samples = []
    for spec in specs:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            apply(spec)
            runs.append((time.perf_counter() - start) * 1000)
            reset()
        samples.append(statistics.median(runs))
    return samples


def search_runs(library: Library, queries: list[str], rounds: int = 7) -> dict[str, list[float]]:
    """Each query's times (ms) over the rounds: Library.matching, its keys walked once as an
    export or the CLI does (matching makes them as they are walked)."""
    search: dict[str, list[float]] = {}
    for _ in range(rounds):
        for query in queries:
            t = time.perf_counter()
            deque(library.matching(FilterSpec(text=query)), maxlen=0)
            search.setdefault(query, []).append((time.perf_counter() - t) * 1000)
    return search


def window_tree(library: Library) -> tuple[QApplication, MeetingTree, MeetingFilterProxy]:
    """The window's tree and filter proxy over library, shown offscreen at the window's size,
    the newest meeting current, the warm-up done."""
    from PySide6.QtWidgets import QApplication

    from gui.filter_proxy import MeetingFilterProxy
    from gui.meeting_tree import MeetingTree
    from gui.tree_model import MeetingTreeModel

    app = cast(QApplication, QApplication.instance() or QApplication([]))
    library.warm()
    model = MeetingTreeModel()
    proxy = MeetingFilterProxy()
    proxy.setSourceModel(model)
    tree = MeetingTree(model, proxy)
    proxy.filterChanged.connect(tree.open_for_filter)  # as the window does
    model.set_library(library)
    tree.resize(360, 820)
    tree.show()
    tree.open_for_filter()
    tree.select(library.meetings[0].id)
    app.processEvents()
    return app, tree, proxy


def view_samples(library: Library, specs: list[FilterSpec]) -> list[float]:
    """Each spec applied as the window applies a search (median of 5 runs): the proxy filters,
    the tree (gui.meeting_tree, shown offscreen at the window's size) opens for the result, and
    the events that follow run, painting included. filter_samples asks every year for its rows,
    as if every year were expanded; this asks what the tree on screen asks."""
    app, tree, proxy = window_tree(library)

    # A short result's years open over later passes of the event loop (the tree's opening();
    # the code before opened them at once): timed to the last, as the result is whole then.
    opening = getattr(tree, "opening", lambda: False)

    def apply(spec: FilterSpec) -> None:
        proxy.set_spec(spec)
        app.processEvents()
        while opening():
            app.processEvents()

    def reset() -> None:
        apply(FilterSpec())
        library._text_mask = None  # each run searches: a query typed is a new text, never the last one

    samples = medians(specs, apply, reset)
    tree.close()
    return samples


# Typing sessions, each key as the search box hands it over (the window applies every key at
# once): prefixes, backspaces, a second and third word, and a query typed over a short result
# (the box's text selected and replaced). A short result (60 meetings or fewer) opens every
# year it is in: 石湖实验室 医保支付 is one at 10,000 minutes (39 meetings in 20 years), with
# 数字经济 at 100,000 (57 in 26 years).
SHORT = "石湖实验室 医保支付 数字经济"
TYPING = [
    [*(SHORT[:n] for n in (1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 14, 15)), SHORT[:14], "城", "城市", "城市更新"],
    ["安", "安全", "安全 ", "安全 电", "安全 电梯", "安全 电", "安全", "安", ""],
    [SHORT, "湖", SHORT, "桥", SHORT, "医", SHORT, "城市更新", SHORT, ""],
]


def typing_samples(
    library: Library, sessions: list[list[str]] = TYPING, repeats: int = 3, keys: dict[str, float] | None = None
) -> dict[str, float | str]:
    """The TYPING sessions applied key by key as the window's tree applies a search box's text
    (the tree and proxy of view_samples; the window's reselection of what was current; the
    events and painting that follow; not the filter panel's counts or the viewer's marks), with
    no reset between the keys of a session. Each key's median over the repeats of every
    session; returns the p95 and max over the keys, the slowest, and the slowest key of the
    first run (typing_first_max_ms: a tree just made, whose years' rows are learnt as the keys
    need them; the library has served the earlier figures), the longest pass of the event loop
    after a key's own while the tree opens a short result's years, and the longest from a key
    to its result opened in full, those passes included (each key's median).
    keys, when given, gets each key's median ("session.key before -> after")."""
    from gui.tree_model import Roles

    app, tree, proxy = window_tree(library)

    def newest() -> None:
        meeting = tree.newest()
        if meeting.isValid():
            tree.select(meeting.data(Roles.MEETING_ID))

    def key(text: str) -> None:  # MainWindow._on_filter_changed with the panel's spec
        keep = tree.current_key()
        proxy.set_spec(FilterSpec(text=text.strip()))
        if keep and tree.current_key() != keep:
            if not tree.reselect(keep):
                newest()
        elif not tree.currentIndex().isValid():
            newest()
        app.processEvents()

    # A short result's years are opened over later passes of the event loop (the tree's
    # opening(); the code before had none): each pass timed, as a key typed then waits for it.
    opening = getattr(tree, "opening", lambda: False)
    runs: dict[tuple[int, int], list[float]] = {}
    later: dict[tuple[int, int], list[float]] = {}
    settled: dict[tuple[int, int], list[float]] = {}  # the key and every later pass: the result whole
    for _ in range(repeats):
        for s, session in enumerate(sessions):
            key("")  # the box cleared between sessions (untimed), the last search forgotten
            while opening():
                app.processEvents()
            library._text_mask = None
            for k, text in enumerate(session):
                start = time.perf_counter()
                key(text)
                runs.setdefault((s, k), []).append((time.perf_counter() - start) * 1000)
                passes = [0.0]
                while opening():
                    start = time.perf_counter()
                    app.processEvents()
                    passes.append((time.perf_counter() - start) * 1000)
                later.setdefault((s, k), []).append(max(passes))
                settled.setdefault((s, k), []).append(runs[s, k][-1] + sum(passes))
    tree.close()
    per_key = {where: statistics.median(times) for where, times in runs.items()}
    slowest = max(per_key, key=lambda where: per_key[where])
    first = max(runs, key=lambda where: runs[where][0])

    def named(where: tuple[int, int]) -> str:
        s, k = where
        return f"{sessions[s][k - 1] if k else ''!r} -> {sessions[s][k]!r}"

    if keys is not None:
        keys.update({f"{s}.{k} {named((s, k))}": round(ms, 1) for (s, k), ms in per_key.items()})
    return {
        "typing_p95_ms": round(p95(list(per_key.values())), 1),
        "typing_max_ms": round(per_key[slowest], 1),
        "typing_slowest_key": named(slowest),
        "typing_first_max_ms": round(runs[first][0], 1),
        "typing_later_pass_max_ms": round(max(statistics.median(times) for times in later.values()), 1),
        "typing_settled_max_ms": round(max(statistics.median(times) for times in settled.values()), 1),
        "typing_first_slowest_key": named(first),
    }


def ledger_figures(library: Library, import_s: float, tmp: Path) -> dict:
    """The 督办台账 figures of #14, measured by bench/ledger.py on this import: building the
    assignments (extracted while importing, read back at the first open) against the import
    without them, and the p95 of opening one department's 台账."""
    from ledger import figures  # here, not at the top: bench/ledger.py imports this module

    found = figures(library, import_s, tmp)
    return {"assign_build_ratio": found["build_ratio"], "ledger_open_p95_ms": found["open_p95_ms"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    parser.add_argument(
        "--catalogue", type=Path, help="build the catalogue at (and keep) this path, which must not exist yet"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = args.keep or tmp / "minutes"
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        size = generate(folder, args.docs)
        print(f"{os.cpu_count()} cores")
        print(f"generated {args.docs} minutes ({size / 1e6:.0f} MB) in {time.perf_counter() - start:.1f} s")
        db = args.catalogue or tmp / "catalogue.sqlite3"
        if args.catalogue and db.exists():
            parser.error(f"{db} exists: the import is measured from an empty catalogue")

        start = time.perf_counter()
        library = Library.open(db, [folder])
        import_s = time.perf_counter() - start
        print(
            f"cold import: {import_s:.1f} s ({args.docs / import_s:.0f} minutes/s), "
            f"{len(library.meetings)} meetings, {library.topic_count} items, {len(library.problems)} problems, "
            f"catalogue {db.stat().st_size / 1e6:.0f} MB"
        )

        search = search_runs(library, [*QUERIES, *TWO_WORD])
        first_short = search[QUERIES[0]][0]
        # Each query's typical latency (median of 7 runs, the first short one excluded: it loads
        # the texts, which the window does in the background after it shows), then p95 over
        # the queries.
        search[QUERIES[0]] = search[QUERIES[0]][1:]
        samples = [statistics.median(search[q]) for q in QUERIES]
        slowest = max(search, key=lambda q: statistics.median(search[q]))
        # Per query length (and two-word queries): p95 over every run of the group's queries.
        by_group = {name: round(p95([v for q in group for v in search[q]]), 1) for name, group in GROUPS.items()}
        files = sorted(folder.rglob("*.txt"))
        grep = []
        for query in QUERIES[::3]:
            t = time.perf_counter()
            for path in files:
                _ = query in decode_bytes(path.read_bytes()).text
            grep.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        library.warm()
        index_s = time.perf_counter() - t
        filters = filter_samples(library, filter_specs(library))
        # What typing a query costs the window: the search and the tree's filter answering it.
        searched = filter_samples(library, [FilterSpec(text=query) for query in [*QUERIES, *TWO_WORD]])
        viewed = view_samples(library, [FilterSpec(text=query) for query in [*QUERIES, *TWO_WORD]])
        typing = typing_samples(library)
        facets = facet_samples(library)
        rss = peak_mb()
        ledger = ledger_figures(library, import_s, tmp)
        library.catalogue.close()
        catalogue_mb = db.stat().st_size / 1e6
        # The first short query after a start: a fresh library over the built catalogue, asked
        # before any warm-up (what typing into the search box at once costs). Median of 3 opens.
        firsts = []
        for _ in range(3):
            reopened = Library.open(db, [folder])
            t = time.perf_counter()
            reopened.matching(FilterSpec(text=QUERIES[0]))
            firsts.append((time.perf_counter() - t) * 1000)
            reopened.catalogue.close()
            del reopened
        first_query = statistics.median(firsts)
        # The same while the warm-up (department indexes) runs in a worker thread, as the window
        # starts it after its first paint.
        warming = []
        for _ in range(3):
            reopened = Library.open(db, [folder])
            worker = threading.Thread(target=reopened.warm)
            worker.start()
            t = time.perf_counter()
            reopened.matching(FilterSpec(text=QUERIES[4]))
            warming.append((time.perf_counter() - t) * 1000)
            worker.join()
            reopened.catalogue.close()
            del reopened
        warm_start(db, folder, tmp)  # writes the bytecode, as installing the app does
        starts = [warm_start(db, folder, tmp) for _ in range(3)]
        warm = statistics.median(run[0] for run in starts)
        warm_rss = max(run[1] for run in starts)
        assert all(run[2] == len(library.meetings) for run in starts)

    result = {
        "docs": args.docs,
        **ledger,
        "import_s": round(import_s, 1),
        "import_per_s": round(args.docs / import_s),
        "warm_start_s": round(warm, 2),
        "search_p95_ms": round(p95(samples), 1),
        "search_first_short_query_ms": round(first_short, 1),
        "search_slowest_query": slowest,
        "grep_p95_ms": round(p95(grep), 1),
        "search_ratio_to_grep": round(p95(samples) / p95(grep), 4),
        "search_tree_p95_ms": round(p95(searched), 1),
        "search_view_p95_ms": round(p95(viewed), 1),
        **typing,
        "filter_p95_ms": round(p95(filters), 1),
        "filter_index_build_s": round(index_s, 2),
        "facet_p95_ms": round(p95(facets), 2),
        "rss_mb": round(warm_rss),
        "import_rss_mb": round(rss),
        "catalogue_mb": round(catalogue_mb, 1),
        "first_query_ms": round(first_query, 1),
        "first_query_warming_ms": round(statistics.median(warming), 1),
        **{f"search_p95_ms_{name}": value for name, value in by_group.items()},
    }
    for key, label in (
        ("search_p95_ms", "search p95"),
        ("search_tree_p95_ms", "search through the tree's filter p95"),
        ("search_view_p95_ms", "search as the tree on screen applies it p95"),
        ("typing_p95_ms", "typing into the search box, each key as the tree on screen applies it, p95"),
        ("typing_max_ms", f"the slowest key ({result['typing_slowest_key']})"),
        ("typing_first_max_ms", f"the slowest key of the first run ({result['typing_first_slowest_key']})"),
        ("typing_later_pass_max_ms", "the longest pass of the event loop after a key's, opening a short result"),
        ("typing_settled_max_ms", "the longest from a key to its result opened in full, those passes included"),
        ("grep_p95_ms", "grep-style scan p95"),
        ("filter_p95_ms", "filter p95"),
        ("facet_p95_ms", "faceted department counts p95"),
    ):
        print(f"{label}: {result[key]} ms")
    print("search p95 by query length: " + ", ".join(f"{name} {value} ms" for name, value in by_group.items()))
    print(
        f"first short query after a start: {result['first_query_ms']} ms "
        f"({result['first_query_warming_ms']} ms while the warm-up runs); catalogue {result['catalogue_mb']} MB"
    )
    print(
        f"warm start: {result['warm_start_s']} s; peak RSS of the window {result['rss_mb']} MB "
        f"(importing process {result['import_rss_mb']} MB)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
