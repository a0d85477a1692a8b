"""The learning loop end to end (issue 20, "Numbers"): real traffic through the hub, the
training inbox labelled as a manager would, a retrain, and the scores before and after.

    .venv/bin/python benchmarks/learning/run.py                    # every stage (~1 h)
    .venv/bin/python benchmarks/learning/run.py --only-evaluate    # score the cached models
    .venv/bin/python benchmarks/learning/run.py --live             # + held-out rows live

Stages (each keeps its output under var/learning_benchmark/, so a rerun skips what is done):

1. rows: HINT3 train and ABCD dev openings (labels already mapped to our intents or
   out_of_scope), each text once, split by a hash of the normalised text into traffic (60%)
   and held out (40%).
2. before: the project's training inputs without sampled_hint3.yml and sampled_abcd.yml (a
   shop that has not learnt from these customers yet), trained as `make model` trains
   (`bot/model_cache.py`); cached by the model's name (the hash of its inputs).
3. traffic: the whole stack (seeded SQLite backend, action server, `rasa run` with the before
   model); every traffic row is the first message of its own conversation through the hub's
   REST channel; what lands in the training inbox is the fallback rate in traffic.
4. label: logged in as the demo manager (console cookie + CSRF), the grouped inbox is
   labelled with each item's dataset label: a cluster in one action when all its items share
   a label, else item by item; then learned.yml is downloaded through the export API.
5. after: the same inputs plus that learned.yml, trained the same way.
6. evaluate: both models parse the held-out rows (never trained by either) as the live bot
   does; in-scope accuracy, out-of-scope recall/precision, fallback rate, per source.
7. live (--live): the held-out rows through the hub with each model; inbox items counted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.learning import rows as rowlib  # noqa: E402
from benchmarks.learning import scores as scorelib  # noqa: E402

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

WORK = ROOT / "var" / "learning_benchmark"
MODELS = WORK / "models"
STATE = WORK / "state.json"
RESULTS = HERE / "results.json"
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
PARSE = HERE / "parse.py"
NLU_DIR = Path("data") / "nlu"
LEARNED = NLU_DIR / "learned.yml"
MANAGER, PASSWORD = "manager", "demo-password"  # the demo seed's manager (ticketing/seed)
STAGES = ("before", "traffic", "after", "evaluate", "live")


def use_work(work: Path) -> None:
    """Keep the stages' output (and the models) in `work`."""
    global WORK, MODELS, STATE  # noqa: PLW0603 - one benchmark run per process
    WORK, MODELS, STATE = work, work / "models", work / "state.json"


def say(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def _duration(seconds: float) -> str:
    return f"{seconds // 60:.0f} min {seconds % 60:02.0f} s"


# --- state kept between runs -------------------------------------------------------------


def load_state() -> dict[str, Any]:
    if STATE.is_file():
        state: dict[str, Any] = json.loads(STATE.read_text(encoding="utf-8"))
        return state
    return {}


def save_state(state: dict[str, Any]) -> None:
    STATE.parent.mkdir(parents=True, exist_ok=True)
    STATE.write_text(json.dumps(state, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# --- training ------------------------------------------------------------------------------


def stage_before(target: Path) -> Path:
    """The project's training inputs in `target`, without the HINT3/ABCD samples (and without
    learned.yml)."""
    from ticketing.model_rollout.staging import stage

    root = stage(target, with_learned=False)
    for name in rowlib.SAMPLED_FILES:
        (root / NLU_DIR / name).unlink()
    return root


def stage_after(before: Path, target: Path, learned: Path) -> Path:
    """The before inputs exactly (a copy, so a change to the project meanwhile doesn't count
    as learning) plus `learned` as data/nlu/learned.yml."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(before, target, symlinks=True, ignore=shutil.ignore_patterns("models", "var"))
    shutil.copyfile(learned, target / LEARNED)
    return target


def train(root: Path, label: str) -> tuple[Path, float | None]:
    """The model of the inputs in `root` (trained unless cached) and how long training took."""
    from ticketing.model_rollout.staging import model_cache, model_name

    target = MODELS / model_name(root)
    if target.is_file():
        say(f"{label}: {target.relative_to(ROOT)} (cached: already trained from these inputs)")
        return target, None
    say(f"{label}: training {target.name} from {root.relative_to(ROOT)}")
    started = time.monotonic()
    if model_cache().train(root) != 0:
        raise SystemExit(f"{label}: training failed; see {root / 'var' / 'logs' / 'train.log'}")
    seconds = time.monotonic() - started
    MODELS.mkdir(parents=True, exist_ok=True)
    shutil.move(root / "models" / target.name, target)
    say(f"{label}: trained in {_duration(seconds)}: {target.relative_to(ROOT)}")
    return target, round(seconds, 1)


def training_texts(root: Path) -> set[str]:
    """Every intent example's normalised text in the inputs at `root`."""
    from ticketing.model_rollout.rasa_calls import rasa_side

    files = sorted(str(path) for path in (root / NLU_DIR).glob("*.yml"))
    return {rowlib.normalise(e["text"]) for e in rasa_side("examples", "--nlu", *files)}


# --- the stack -----------------------------------------------------------------------------


@contextmanager
def stack(model: Path, logs: Path) -> Iterator[tuple[str, Any]]:
    """(backend URL, database) with a freshly seeded backend, the actions and `rasa run`."""
    from benchmarks.simulation.run import assistant

    logs.mkdir(parents=True, exist_ok=True)
    for old in ("simulation.db", "backend.log", "actions.log", "rasa.log", "rasa_tracker.db"):
        (logs / old).unlink(missing_ok=True)
    with assistant(model, logs) as (url, database):
        yield url, database


def send_all(
    backend_url: str, rows: list[rowlib.Row], workers: int, label: str
) -> dict[str, dict[str, Any]]:
    """Each row as the first message of its own conversation; the bot's replies by row key."""
    import httpx

    from benchmarks.simulation.conversation import HubChat

    def one(row: rowlib.Row) -> tuple[str, dict[str, Any]]:
        chat = HubChat(backend_url, row.sender)
        started = time.monotonic()
        try:
            replies = chat.say(row.text)
            error = None
        except httpx.HTTPError as failure:
            replies, error = [], f"{type(failure).__name__}: {failure}"
        return row.key, {
            "conversation_id": chat.conversation_id,
            "replies": [str(r.get("text") or "") for r in replies],
            "buttons": [str(b.get("title")) for r in replies for b in r.get("buttons") or []],
            "error": error,
            "seconds": round(time.monotonic() - started, 2),
        }

    done: dict[str, dict[str, Any]] = {}
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for index, (key, answer) in enumerate(pool.map(one, rows), start=1):
            done[key] = answer
            if index % 50 == 0 or index == len(rows):
                elapsed = time.monotonic() - started
                left = elapsed / index * (len(rows) - index)
                took, rest = _duration(elapsed), _duration(left)
                say(f"{label}: {index}/{len(rows)} sent ({took}, ~{rest} left)")
    return done


def inbox_items(database: Any) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from ticketing.training.models import InboxItem

    with database.session() as session:
        return [
            {
                "id": item.id,
                "conversation_id": item.conversation_id,
                "text": item.text,
                "reasons": list(item.reasons),
                "guesses": list(item.guesses),
            }
            for item in session.scalars(select(InboxItem).order_by(InboxItem.id))
        ]


def row_of_conversations(rows: list[rowlib.Row]) -> dict[str, rowlib.Row]:
    from tests.hub.helpers import rest_id

    return {rest_id(row.sender): row for row in rows}


def landed(rows: list[rowlib.Row], items: list[dict[str, Any]]) -> dict[str, Any]:
    """How many rows' conversations have an inbox item, overall and per source and label."""
    by_conversation = row_of_conversations(rows)
    hit = {
        by_conversation[i["conversation_id"]].key
        for i in items
        if i["conversation_id"] in by_conversation
    }
    reasons = Counter(reason for item in items for reason in item["reasons"])

    fell_back = {
        by_conversation[i["conversation_id"]].key
        for i in items
        if i["conversation_id"] in by_conversation and "fallback" in i["reasons"]
    }

    def part(chosen: list[rowlib.Row]) -> dict[str, Any]:
        n = sum(row.key in hit for row in chosen)
        f = sum(row.key in fell_back for row in chosen)
        return {
            "rows": len(chosen),
            "in_inbox": n,
            "rate": round(n / len(chosen), 4) if chosen else None,
            "fallback": f,
            "fallback_rate": round(f / len(chosen), 4) if chosen else None,
        }

    return {
        **part(rows),
        "per_source": {
            s: part([r for r in rows if r.source == s]) for s in sorted({r.source for r in rows})
        },
        "in_scope": part([r for r in rows if r.intent != rowlib.OUT_OF_SCOPE]),
        "out_of_scope": part([r for r in rows if r.intent == rowlib.OUT_OF_SCOPE]),
        "items": len(items),
        "items_of_other_conversations": sum(
            i["conversation_id"] not in by_conversation for i in items
        ),
        "reasons": dict(sorted(reasons.items())),
    }


# --- labelling as a manager ----------------------------------------------------------------


class Console:
    """The console's API as its page uses it: the session cookie and the CSRF header."""

    def __init__(self, backend_url: str) -> None:
        import httpx

        self.client = httpx.Client(base_url=backend_url, timeout=300.0)
        page = self.client.get("/console/login")
        page.raise_for_status()
        csrf = self.client.cookies["supportbot_csrf"]
        answer = self.client.post(
            "/console/login",
            data={
                "username": MANAGER,
                "password": PASSWORD,
                "csrf_token": csrf,
                "next": "/console/",
            },
            follow_redirects=False,
        )
        if answer.status_code != 303:
            raise SystemExit(
                f"label: logging in as {MANAGER} failed: {answer.status_code} {answer.text[:300]}"
            )

    def get(self, path: str) -> Any:
        answer = self.client.get(f"/api/console{path}")
        answer.raise_for_status()
        return answer

    def post(self, path: str, body: dict[str, Any]) -> Any:
        headers = {"X-CSRF-Token": self.client.cookies["supportbot_csrf"]}
        answer = self.client.post(f"/api/console{path}", json=body, headers=headers)
        if answer.status_code >= 400:
            raise SystemExit(f"label: {path} refused: {answer.status_code} {answer.text[:500]}")
        return answer.json()


def label_inbox(backend_url: str, rows: list[rowlib.Row], learned: Path) -> dict[str, Any]:
    """Label every inbox item of a traffic row with its dataset label, cluster by cluster as
    the Training page shows them; download learned.yml. What it took."""
    console = Console(backend_url)
    by_conversation = row_of_conversations(rows)
    actions: list[rowlib.LabelAction] = []
    split_by_label = 0
    clusters_seen: list[int] = []
    pure = mixed = 0
    grouping = None
    rounds = 0
    while True:
        started = time.monotonic()
        inbox = console.get("/training/inbox").json()
        rounds += 1
        grouping = inbox["grouping"]
        clusters = [[int(i["id"]) for i in c["items"]] for c in inbox["clusters"]]
        shown = [
            rowlib.Item(int(i["id"]), str(i["conversation_id"]), str(i["text"]))
            for c in inbox["clusters"]
            for i in c["items"]
        ]
        row_of_item, _unknown = rowlib.rows_of_items(shown, by_conversation)
        label_of = {item_id: row.intent for item_id, row in row_of_item.items()}
        planned = rowlib.plan(clusters, label_of)
        say(
            f"label: inbox round {rounds}: {inbox['pending']} pending in {len(clusters)} clusters "
            f"(grouping: {grouping}, read in {time.monotonic() - started:.1f} s); "
            f"{len(planned)} label actions"
        )
        if not planned:
            break
        split_by_label += rowlib.actions_if_split_by_label(clusters, label_of)
        for cluster in clusters:
            clusters_seen.append(len(cluster))
            labels = {label_of.get(i) for i in cluster}
            if len(cluster) > 1:
                pure += len(labels) == 1
                mixed += len(labels) > 1
        for action in planned:
            decision, intent = rowlib.decision(action.intent)
            console.post(
                "/training/labels",
                {"item_ids": list(action.item_ids), "decision": decision, "intent": intent},
            )
        actions += planned
    export = console.get("/training/export")
    learned.parent.mkdir(parents=True, exist_ok=True)
    learned.write_text(export.text, encoding="utf-8")
    examples = sum(1 for line in export.text.splitlines() if line.startswith("    - "))
    labelled = sum(len(a.item_ids) for a in actions)
    say(f"label: {labelled} items in {len(actions)} actions; learned.yml: {examples} examples")
    return {
        "grouping": grouping,
        "inbox_rounds": rounds,
        "items_labelled": labelled,
        "label_actions": len(actions),
        "cluster_actions": sum(a.whole_cluster for a in actions),
        "items_in_cluster_actions": sum(len(a.item_ids) for a in actions if a.whole_cluster),
        "single_item_actions": sum(not a.whole_cluster for a in actions),
        "label_actions_if_mixed_clusters_split_by_label": split_by_label,
        "clusters": len(clusters_seen),
        "clusters_of_2_or_more": sum(size > 1 for size in clusters_seen),
        "pure_clusters_of_2_or_more": pure,
        "mixed_clusters": mixed,
        "largest_cluster": max(clusters_seen, default=0),
        "labels": dict(sorted(Counter(a.intent for a in actions for _ in a.item_ids).items())),
        "learned_examples": examples,
        "pending_left": console.get("/training/inbox").json()["pending"],
    }


# --- evaluation ----------------------------------------------------------------------------


def parse(model: Path, texts: list[str], out: Path, label: str) -> list[dict[str, Any]]:
    """`parse.py` in `.venv-rasa`: the live bot's reading of each text."""
    source = out.with_suffix(".in.json")
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    say(f"{label}: parsing {len(texts)} held-out rows with {model.name}")
    started = time.monotonic()
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    log = out.with_suffix(".log")
    with log.open("w", encoding="utf-8") as handle:
        done = subprocess.run(  # noqa: S603 - the repository's own interpreter and script
            [str(RASA_PYTHON), str(PARSE), str(model), str(source), str(out)],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        raise SystemExit(f"{label}: parsing failed (exit {done.returncode}):\n{tail}")
    say(f"{label}: parsed in {_duration(time.monotonic() - started)}")
    answers: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    return answers


def evaluate(model: Path, held: list[rowlib.Row], threshold: float, label: str) -> dict[str, Any]:
    answers = parse(model, [row.text for row in held], WORK / "evaluate" / f"{label}.json", label)
    found = [
        scorelib.parsed(row.source, row.intent, a) for row, a in zip(held, answers, strict=True)
    ]
    return {
        "model": model.name,
        "scores": scorelib.by_source(found, threshold),
        "top_errors": scorelib.top_errors(found, threshold),
    }


# --- the stages ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--model",
        type=Path,
        help="the before model (default: train it from "
        "the project's inputs without the HINT3/ABCD samples, cached)",
    )
    parser.add_argument("--after-model", type=Path, help="the after model (default: train it)")
    parser.add_argument(
        "--stages",
        default="before,traffic,after,evaluate",
        help=f"comma-separated, of {','.join(STAGES)} (default: %(default)s); a "
        "stage left out uses the output of an earlier run",
    )
    parser.add_argument("--only-evaluate", action="store_true", help="--stages evaluate")
    parser.add_argument("--live", action="store_true", help="add the live stage")
    parser.add_argument("--limit", type=int, help="send only the first N traffic rows (a try)")
    parser.add_argument("--workers", type=int, default=2, help="conversations at once (default 2)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="default: %(default)s")
    parser.add_argument("--work", type=Path, default=WORK, help="default: %(default)s")
    parser.add_argument(
        "--markdown", action="store_true", help="only rewrite RESULTS.md beside --out from it"
    )
    args = parser.parse_args(argv)
    use_work(args.work.resolve())
    if args.markdown:
        report = json.loads(args.out.read_text(encoding="utf-8"))
        args.out.with_name("RESULTS.md").write_text(markdown(report), encoding="utf-8")
        return 0
    stages = ["evaluate"] if args.only_evaluate else [s for s in args.stages.split(",") if s]
    if args.live and "live" not in stages:
        stages.append("live")
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        parser.error(f"unknown stage(s) {unknown}; pick from {STAGES}")
    WORK.mkdir(parents=True, exist_ok=True)
    state = load_state()
    timings: dict[str, float] = state.setdefault("seconds", {})

    def timed(name: str, work: Callable[[], None]) -> None:
        started = time.monotonic()
        work()
        timings[name] = round(time.monotonic() - started, 1)
        save_state(state)

    # rows
    rows, dropped = rowlib.load()
    from ticketing.training.intents import domain_intents

    strange = rowlib.check_intents(rows, domain_intents())
    if strange:
        raise SystemExit(f"labels that are not intents of domain.yml: {strange}")
    traffic, held = rowlib.split(rows)
    if args.limit:
        traffic = traffic[: args.limit]
    say(f"rows: {len(rows)} ({len(traffic)} traffic, {len(held)} held out); left out: {dropped}")
    state["rows"] = {
        "dropped": dropped,
        "traffic": dict(Counter(r.source for r in traffic)),
        "held_out": dict(Counter(r.source for r in held)),
        "held_out_share": rowlib.HELD_OUT_SHARE,
    }

    before_root = WORK / "before"
    learned = WORK / "learned.yml"

    def before_stage() -> None:
        stage_before(before_root)
        if args.model is None:
            model, seconds = train(before_root, "before")
            state["before_model"] = str(model)
            state["before_training_seconds"] = seconds or state.get("before_training_seconds")
        else:
            state["before_model"] = str(args.model.resolve())

    if "before" in stages or "before_model" not in state:
        timed("before", before_stage)
    before_model = Path(args.model or state["before_model"])

    def traffic_stage() -> None:
        with stack(before_model, WORK / "traffic-logs") as (url, database):
            say(f"traffic: {len(traffic)} conversations with {before_model.name}")
            started = time.monotonic()
            replies = send_all(url, traffic, args.workers, "traffic")
            sent = time.monotonic() - started
            items = inbox_items(database)
            state["traffic"] = {
                "model": before_model.name,
                "sent_seconds": round(sent, 1),
                "errors": sum(1 for r in replies.values() if r["error"]),
                "inbox": landed(traffic, items),
            }
            say(f"traffic: {state['traffic']['inbox']['in_inbox']}/{len(traffic)} in the inbox")
            with (WORK / "traffic.jsonl").open("w", encoding="utf-8") as handle:
                by_conversation = {i["conversation_id"]: i for i in items}
                for row in traffic:
                    answer = replies[row.key]
                    item = by_conversation.get(answer["conversation_id"])
                    record = {
                        "key": row.key,
                        "text": row.text,
                        "intent": row.intent,
                        **answer,
                        "inbox": item,
                    }
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            started = time.monotonic()
            state["labelling"] = label_inbox(url, traffic, learned)
            state["labelling"]["seconds"] = round(time.monotonic() - started, 1)

    if "traffic" in stages:
        timed("traffic", traffic_stage)
    later = [s for s in stages if s in ("after", "evaluate", "live")]
    if later and ("traffic" not in state or not learned.is_file()):
        raise SystemExit("no traffic run yet: run the traffic stage first")

    def after_stage() -> None:
        if args.after_model is None:
            root = stage_after(before_root, WORK / "after", learned)
            model, seconds = train(root, "after")
            state["after_model"] = str(model)
            state["after_training_seconds"] = seconds or state.get("after_training_seconds")
        else:
            state["after_model"] = str(args.after_model.resolve())

    if "after" in stages or (later and "after_model" not in state):
        timed("after", after_stage)
    after_model = Path(args.after_model or state.get("after_model") or "(not trained)")

    untrained: list[rowlib.Row] = []

    def held_out_test() -> list[rowlib.Row]:
        """The held-out rows whose text neither model trained on."""
        if not untrained:
            trained = training_texts(before_root)
            if (WORK / "after" / LEARNED).is_file():
                trained |= training_texts(WORK / "after")
            untrained.extend(row for row in held if rowlib.normalise(row.text) not in trained)
        return untrained

    def evaluate_stage() -> None:
        from ticketing.model_rollout.rasa_calls import fallback_threshold

        test = held_out_test()
        threshold = fallback_threshold(before_root / "config.yml")
        say(
            f"evaluate: {len(test)} held-out rows ({len(held) - len(test)} left out: in the "
            f"training data), fallback threshold {threshold}"
        )
        state["evaluation"] = {
            "rows": dict(Counter(r.source for r in test)),
            "left_out_trained": len(held) - len(test),
            "fallback_threshold": threshold,
            "before": evaluate(before_model, test, threshold, "before"),
            "after": evaluate(after_model, test, threshold, "after"),
        }

    if "evaluate" in stages:
        timed("evaluate", evaluate_stage)

    def live_stage() -> None:
        test = held_out_test()[: args.limit] if args.limit else held_out_test()
        state["live"] = {}
        for label, model in (("before", before_model), ("after", after_model)):
            with stack(model, WORK / f"live-{label}-logs") as (url, database):
                say(f"live {label}: {len(test)} held-out conversations with {model.name}")
                replies = send_all(url, test, args.workers, f"live {label}")
                state["live"][label] = {
                    "model": model.name,
                    "errors": sum(1 for r in replies.values() if r["error"]),
                    "inbox": landed(test, inbox_items(database)),
                }

    if "live" in stages:
        timed("live", live_stage)

    report = build_report(state, stages)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    args.out.with_name("RESULTS.md").write_text(markdown(report), encoding="utf-8")
    print_summary(report)
    say(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


def git_commit() -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    done = subprocess.run(  # noqa: S603 - a fixed git command
        [git, "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or None


def build_report(state: dict[str, Any], stages: list[str]) -> dict[str, Any]:
    report = {k: v for k, v in state.items() if k != "seconds"}
    for key in ("before_model", "after_model"):
        if key in report:
            report[key] = Path(report[key]).name
    report["stage_seconds"] = state.get("seconds", {})
    report["stages_run"] = stages
    report["command"] = " ".join(["benchmarks/learning/run.py", *sys.argv[1:]])
    report["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    report["commit"] = git_commit()
    report["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    return report


SHOWN = (
    ("in_scope_accuracy", "in-scope accuracy"),
    ("in_scope_accuracy_strict", "in-scope accuracy (top intent, fallback or not)"),
    ("in_scope_not_acted", "in scope, not acted on (fallback or out of scope)"),
    ("in_scope_wrong_intent", "in scope, acted on as another request"),
    ("oos_recall", "out-of-scope recall"),
    ("oos_precision", "out-of-scope precision"),
    ("fallback_rate", "fallback rate"),
    ("out_of_scope_share", "out-of-scope share"),
    ("misunderstood_share", "misunderstood (fallback + out of scope)"),
)


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def markdown(report: dict[str, Any]) -> str:
    """RESULTS.md: the numbers of `report` (results.json) as tables."""
    lines = ["# The learning loop: results", ""]
    lines.append(
        f"Measured {report['measured_at']} at commit {report.get('commit')} on "
        f"{report['machine']['cpus']} shared cores: `{report['command']}`. "
        "Definitions and method: README.md."
    )
    rows = report.get("rows", {})
    lines += [
        "",
        f"Rows: traffic {rows.get('traffic')}, held out {rows.get('held_out')} (share "
        f"{rows.get('held_out_share')}); left out of the CSVs: {rows.get('dropped')}.",
        f"Models: before `{report.get('before_model')}` (project inputs without "
        f"sampled_hint3.yml and sampled_abcd.yml), after `{report.get('after_model')}` (the "
        "same plus the exported learned.yml).",
    ]
    traffic = report.get("traffic")
    if traffic:
        inbox = traffic["inbox"]
        lines += ["", "## Traffic through the hub (before model)", ""]
        lines += [
            "| rows | conversations | in the inbox | fallback | out of scope |",
            "|---|---:|---:|---:|---:|",
        ]
        parts = [("all", inbox), *inbox["per_source"].items()]
        parts += [
            ("labelled in scope", inbox["in_scope"]),
            ("labelled out of scope", inbox["out_of_scope"]),
        ]
        for name, part in parts:
            oos = part["in_inbox"] - part["fallback"]
            lines.append(
                f"| {name} | {part['rows']} | {part['in_inbox']} ({_cell(part['rate'])}) | "
                f"{part['fallback']} ({_cell(part['fallback_rate'])}) | "
                f"{oos} ({_cell(oos / part['rows'] if part['rows'] else None)}) |"
            )
    labelling = report.get("labelling")
    if labelling:
        split_actions = labelling["label_actions_if_mixed_clusters_split_by_label"]
        lines += ["", "## Labelling (as the demo manager, through the console API)", ""]
        lines.append(
            f"{labelling['items_labelled']} items labelled in **{labelling['label_actions']} "
            f"label actions**: {labelling['cluster_actions']} whole clusters "
            f"({labelling['items_in_cluster_actions']} items) and "
            f"{labelling['single_item_actions']} single items. The inbox showed "
            f"{labelling['clusters']} clusters ({labelling['grouping']} grouping), "
            f"{labelling['clusters_of_2_or_more']} of 2+ items, of which "
            f"{labelling['mixed_clusters']} mixed labels (largest: "
            f"{labelling['largest_cluster']}). Selecting all items of one label in a mixed "
            f"cluster at once would take {split_actions} actions. learned.yml: "
            f"{labelling['learned_examples']} examples."
        )
    evaluation = report.get("evaluation")
    if evaluation:
        lines += ["", "## Held-out rows (never trained by either model)", ""]
        lines.append(
            f"Rows: {evaluation['rows']} ({evaluation['left_out_trained']} held-out rows left "
            f"out: their text is in the training data). Fallback threshold "
            f"{evaluation['fallback_threshold']}."
        )
        for part in ("overall", "hint3", "abcd"):
            before = evaluation["before"]["scores"].get(part)
            after = evaluation["after"]["scores"].get(part)
            if not before or not after:
                continue
            lines += [
                "",
                f"### {part} ({before['rows']} rows: {before['in_scope_rows']} in scope, "
                f"{before['out_of_scope_rows']} out of scope)",
                "",
                "| | before | after |",
                "|---|---:|---:|",
            ]
            lines += [f"| {name} | {_cell(before[k])} | {_cell(after[k])} |" for k, name in SHOWN]
        for side in ("before", "after"):
            errors = "; ".join(evaluation[side]["top_errors"][:6])
            lines.append(f"\nCommonest mistakes {side} (label -> what the bot did): {errors}.")
        lines += [
            "",
            "Reading: the misunderstood share (what reaches the inbox) is not a score by itself "
            "when most real traffic is out of scope: a correct out-of-scope answer lands in the "
            "inbox too. Look at in-scope accuracy and out-of-scope recall together, and at the "
            "fallback rate for the bot's hesitation.",
        ]
    live = report.get("live")
    if live:
        lines += ["", "## Held-out rows live through the hub", ""]
        lines += ["| model | conversations | in the inbox | fallback |", "|---|---:|---:|---:|"]
        for side, got in live.items():
            inbox = got["inbox"]
            lines.append(
                f"| {side} | {inbox['rows']} | {inbox['in_inbox']} ({_cell(inbox['rate'])}) | "
                f"{inbox['fallback']} ({_cell(inbox['fallback_rate'])}) |"
            )
    seconds = report.get("stage_seconds") or {}
    if seconds:
        shown = ", ".join(f"{name} {_duration(value)}" for name, value in seconds.items())
        lines += ["", f"Stage times (this run; a cached model takes seconds): {shown}."]
        trained = [
            f"{side} {_duration(report[key])}"
            for side, key in (
                ("before", "before_training_seconds"),
                ("after", "after_training_seconds"),
            )
            if report.get(key)
        ]
        if trained:
            lines.append(f"Training alone: {', '.join(trained)}.")
    return "\n".join(lines) + "\n"


def print_summary(report: dict[str, Any]) -> None:
    traffic = report.get("traffic", {}).get("inbox")
    if traffic:
        print(
            f"traffic: {traffic['in_inbox']}/{traffic['rows']} in the inbox ({traffic['rate']:.1%})"
        )
    labelling = report.get("labelling")
    if labelling:
        print(
            f"labels: {labelling['items_labelled']} items in {labelling['label_actions']} actions "
            f"({labelling['cluster_actions']} whole clusters)"
        )
    evaluation = report.get("evaluation")
    if evaluation:
        keys = (
            "in_scope_accuracy",
            "oos_recall",
            "oos_precision",
            "fallback_rate",
            "misunderstood_share",
        )
        print(f"{'held out':18}" + "".join(f"{k:>22}" for k in keys))
        for part in ("hint3", "abcd", "overall"):
            for side in ("before", "after"):
                got = evaluation[side]["scores"].get(part)
                if got:
                    cells = "".join(
                        f"{got[k]:>22.3f}" if got[k] is not None else f"{'n/a':>22}" for k in keys
                    )
                    print(f"{part + ' ' + side:18}{cells}")
    for side, got in (report.get("live") or {}).items():
        inbox = got["inbox"]
        print(
            f"live {side}: {inbox['in_inbox']}/{inbox['rows']} in the inbox ({inbox['rate']:.1%})"
        )


if __name__ == "__main__":
    sys.exit(main())
