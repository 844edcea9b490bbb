"""config.yaml: typed, validated once at load, unknown keys rejected, every error with key and line."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from monitor.errors import ConfigError

SOURCE_IDS = ("amac", "csrc", "nfra", "sse", "szse", "bse", "sec", "finra", "fca", "sfc")
EMAIL_RE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_cron(value: str) -> str:
    from monitor.schedule import cron_trigger  # crontab weekday numbering (APScheduler 3's from_crontab differs)

    try:
        cron_trigger(value, timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"not a valid cron expression {value!r}: {exc}") from None
    return value


def _check_email(value: str) -> str:
    if not EMAIL_RE.match(value.strip()):
        raise ValueError(f"not an email address: {value!r}")
    return value.strip()


# validated per item, so an error's location (and line) is the bad address, not the whole list
Email = Annotated[str, AfterValidator(_check_email)]


class HttpConfig(Strict):
    timeout: float = Field(30.0, gt=0, description="seconds per request (connect and read)")
    max_retries: int = Field(3, ge=0, le=10)
    backoff: float = Field(1.0, ge=0, description="first retry delay in seconds, doubled each retry")
    max_redirects: int = Field(5, ge=0, le=20)
    max_bytes: int = Field(20_000_000, gt=0, description="a response larger than this is refused")
    run_budget: float = Field(1800.0, gt=0, description="seconds one source's run may take")
    max_retry_after: float = Field(120.0, ge=0, description="longest Retry-After honoured before giving up")


class SourceConfig(Strict):
    enabled: bool = True
    schedule: str = "0 */2 * * *"
    base_url: str | None = None  # None: the source's official site
    baseline: Literal["silent", "alert"] = "silent"
    max_pages: int = Field(5, ge=1, description="list pages per run at most (backfill raises it)")
    min_delay: float | None = Field(None, ge=0, description="seconds between requests to one host")
    concurrency: int = Field(1, ge=1, le=8)
    expected_cadence_days: float | None = Field(None, gt=0, description="silent longer than this = stale")
    min_items: int | None = Field(None, ge=0)
    max_items: int | None = Field(None, ge=1)
    fetch_attachments: bool = True
    # per-source options
    channels: list[str] | None = None  # csrc: channelId strings
    lists: list[str] | None = None  # amac: list ids (scfjg, scfry)

    _check_schedule = field_validator("schedule")(lambda cls, v: _check_cron(v))

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if not re.match(r"^https?://[^/\s]+", v):
            raise ValueError(f"base_url must be an http(s) URL, got {v!r}")
        return v.rstrip("/")


class SourcesConfig(Strict):
    """One optional block per known source id; an unknown id is an unknown key."""

    amac: SourceConfig | None = None
    csrc: SourceConfig | None = None
    nfra: SourceConfig | None = None
    sse: SourceConfig | None = None
    szse: SourceConfig | None = None
    bse: SourceConfig | None = None
    sec: SourceConfig | None = None
    finra: SourceConfig | None = None
    fca: SourceConfig | None = None
    sfc: SourceConfig | None = None

    def items(self) -> list[tuple[str, SourceConfig]]:
        return [(sid, getattr(self, sid)) for sid in SOURCE_IDS if getattr(self, sid) is not None]

    def get(self, sid: str) -> SourceConfig | None:
        return getattr(self, sid, None) if sid in SOURCE_IDS else None

    def __contains__(self, sid: str) -> bool:
        return self.get(sid) is not None


class SmtpConfig(Strict):
    host: str = "localhost"
    port: int = Field(25, ge=1, le=65535)
    security: Literal["none", "starttls", "ssl"] = "none"
    username: str | None = None
    password_env: str | None = None
    from_: str = Field("regwatch@localhost", alias="from")
    timeout: float = Field(30.0, gt=0)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("from_")
    @classmethod
    def _from(cls, v: str) -> str:
        # lax on purpose: "regwatch@localhost" and "Regwatch <ops@example.com>" are both fine
        from email.utils import parseaddr

        local, _, domain = parseaddr(v)[1].partition("@")
        if not local or not domain:
            raise ValueError(f"not an email address: {v!r}")
        return v

    def password(self) -> str | None:
        if not self.password_env:
            return None
        return os.environ.get(self.password_env)


class WatchEntity(Strict):
    name: str
    aliases: list[str] = []
    credit_code: str | None = None  # 统一社会信用代码
    amac_id: str | None = None  # manager registration number P10xxxxx
    former_names: list[str] = []


class Subscription(Strict):
    name: str
    to: list[Email]
    mode: Literal["instant", "daily", "weekly"] = "daily"
    sources: list[str] = []
    violations: list[str] = []
    sanctions: list[str] = []
    severity: Literal["any", "low", "medium", "high"] = "any"
    watchlist: list[str | WatchEntity] | str = []  # entity names, entity objects, or the name of a watchlists entry
    keywords: list[str] = []
    schedule: str | None = None  # digest cron; default from digest.schedule
    quiet_hours: str | None = None  # "22:00-07:00": instant alerts wait until the end
    fuzzy_threshold: float = Field(90.0, ge=50, le=100)
    watchlist_instant: bool = True  # daily/weekly subscriptions: a watchlist hit is still mailed in the run

    @field_validator("to", mode="before")
    @classmethod
    def _to_list(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @field_validator("to")
    @classmethod
    def _emails(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("at least one recipient is needed")
        return v

    @field_validator("schedule")
    @classmethod
    def _cron(cls, v: str | None) -> str | None:
        return None if v is None else _check_cron(v)

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d", v):
            raise ValueError(f"quiet_hours must look like 22:00-07:00, got {v!r}")
        return v


class OpsConfig(Strict):
    to: list[Email] = []
    failure_threshold: int = Field(3, ge=1)
    repeat_hours: float = Field(24.0, gt=0)

    @field_validator("to", mode="before")
    @classmethod
    def _to_list(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v



class DigestConfig(Strict):
    schedule: str = "0 18 * * *"
    weekly_schedule: str = "0 18 * * 5"
    subject_prefix: str = "[regwatch]"

    _c1 = field_validator("schedule", "weekly_schedule")(lambda cls, v: _check_cron(v))


class ClassifyConfig(Strict):
    extra_phrases: dict[str, list[str]] = {}  # taxonomy id -> extra signal phrases


class Config(Strict):
    database: str = "regwatch.db"
    timezone: str = "Asia/Shanghai"
    user_agent: str = "regwatch/0.1 (compliance monitor; contact: ops@example.com)"
    jitter: int = Field(60, ge=0, description="seconds of random delay added to each scheduled crawl")
    misfire_grace: int = Field(600, ge=1, description="seconds a missed scheduled run may still start late")
    http: HttpConfig = HttpConfig()
    sources: SourcesConfig = SourcesConfig()
    smtp: SmtpConfig = SmtpConfig()
    subscriptions: list[Subscription] = []
    watchlists: dict[str, list[str | WatchEntity]] = {}
    ops: OpsConfig = OpsConfig()
    digest: DigestConfig = DigestConfig()
    classify: ClassifyConfig = ClassifyConfig()

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(v)
        except Exception:
            raise ValueError(f"unknown timezone {v!r}") from None
        return v

    @model_validator(mode="after")
    def _cross_checks(self) -> "Config":
        problems: list[str] = []
        for i, sub in enumerate(self.subscriptions):
            for j, s in enumerate(sub.sources):
                if s not in SOURCE_IDS:
                    problems.append(f"subscriptions.{i}.sources.{j}: unknown source id {s!r}")
            if isinstance(sub.watchlist, str) and sub.watchlist not in self.watchlists:
                problems.append(f"subscriptions.{i}.watchlist: no watchlist named {sub.watchlist!r} under watchlists")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def db_path(self, base: Path | None = None) -> Path:
        p = Path(self.database).expanduser()
        return p if p.is_absolute() or base is None else base / p


# ---------------------------------------------------------------- loading with line numbers


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records the line of every mapping key and sequence item, by key path."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    duplicates: list[tuple[Any, int, int]] = []  # (key, line, first line): reported with their key path
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            duplicates.append((key, key_node.start_mark.line + 1, seen[key]))
        else:
            seen[key] = key_node.start_mark.line + 1
    mapping = loader.construct_mapping(node, deep=True)
    out = _LineDict(mapping, {k: v for k, v in seen.items()}, node.start_mark.line + 1)
    out.duplicates = duplicates
    return out


class _LineDict(dict):
    def __init__(self, data: dict, lines: dict, own_line: int):
        super().__init__(data)
        self.lines = lines
        self.own_line = own_line
        self.duplicates: list[tuple[Any, int, int]] = []


class _LineList(list):
    def __init__(self, data: list, lines: list[int], own_line: int):
        super().__init__(data)
        self.lines = lines
        self.own_line = own_line


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode, deep: bool = False) -> list:
    items = [loader.construct_object(n, deep=True) for n in node.value]
    return _LineList(items, [n.start_mark.line + 1 for n in node.value], node.start_mark.line + 1)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _line_of(tree: Any, loc: tuple) -> int | None:
    """Deepest known line for a pydantic error location."""
    line = getattr(tree, "own_line", None)
    node = tree
    for part in loc:
        if isinstance(node, _LineDict) and part in node:
            line = node.lines.get(part, line)
            node = node[part]
        elif isinstance(node, _LineDict) and part == "from_" and "from" in node:
            line = node.lines.get("from", line)
            node = node["from"]
        elif isinstance(node, _LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lines[part]
            node = node[part]
        elif isinstance(node, _LineDict) and isinstance(part, str) and part not in node:
            # unknown key errors point at the key itself; missing keys point at the parent mapping
            break
        else:
            continue
    return line


def _duplicate_keys(tree: Any, path: tuple = ()) -> list[tuple[str, int | None, str]]:
    """Every key given twice in one mapping, with its key path: YAML would silently keep the last."""
    problems = []
    if isinstance(tree, _LineDict):
        for key, line, first in tree.duplicates:
            problems.append((_dotted(path + (key,)), line, f"duplicate key (first on line {first})"))
        for key, value in tree.items():
            problems += _duplicate_keys(value, path + (key,))
    elif isinstance(tree, _LineList):
        for i, value in enumerate(tree):
            problems += _duplicate_keys(value, path + (i,))
    return problems


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def _dotted(loc: tuple) -> str:
    # pydantic puts union branch names (e.g. 'str', 'WatchEntity') in loc; keep only real keys
    parts = [str(p) for p in loc if not (isinstance(p, str) and (p[:1].isupper() or p in {"str", "function-after"}))]
    return ".".join(parts).replace("from_", "from")


def _known_taxonomy_check(cfg: Config, tree: Any) -> list[tuple[str, int | None, str]]:
    from monitor.taxonomy import load_taxonomy

    tax = load_taxonomy()
    problems = []
    for i, sub in enumerate(cfg.subscriptions):
        for field_name, known in (("violations", tax.violation_ids), ("sanctions", tax.sanction_ids)):
            for j, tid in enumerate(getattr(sub, field_name)):
                if tid not in known:
                    loc = ("subscriptions", i, field_name, j)
                    problems.append((_dotted(loc), _line_of(tree, loc), f"unknown taxonomy id {tid!r}"))
    for tid in cfg.classify.extra_phrases:
        if tid not in tax.violation_ids and tid not in tax.sanction_ids:
            loc = ("classify", "extra_phrases", tid)
            problems.append((_dotted(loc), _line_of(tree, loc), f"unknown taxonomy id {tid!r}"))
    return problems


def parse_config(text: str, path: str | None = None, *, check_env: bool = False) -> Config:
    """Parse and validate config text. Raises ConfigError naming key and line for every problem."""
    try:
        tree = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        context, cmark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if cmark is not None and context and "scanning" in context:
            # an unterminated quote or block: the culprit is where the token started, not where the file ended
            problem = f"{problem} {context} started on line {cmark.line + 1}"
            line = cmark.line + 1
        raise ConfigError([("", line, f"YAML syntax error: {problem}")], path) from None
    if tree is None:
        tree = _LineDict({}, {}, 1)
    if not isinstance(tree, dict):
        raise ConfigError([("", 1, "the file must be a mapping of keys (database, sources, smtp, ...)")], path)
    duplicates = _duplicate_keys(tree)
    if duplicates:
        raise ConfigError(duplicates, path)
    try:
        cfg = Config.model_validate(_plain(tree))
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = err["loc"]
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown source id" if loc[:1] == ("sources",) and len(loc) == 2 else "unknown key"
            elif msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
            if err["type"] == "value_error" and loc == () and "subscriptions." in msg:
                for piece in msg.split("; "):
                    key, _, m = piece.partition(": ")
                    kloc = tuple(int(p) if p.isdigit() else p for p in key.split("."))
                    problems.append((key, _line_of(tree, kloc), m))
                continue
            problems.append((_dotted(loc), _line_of(tree, loc), msg))
        # a union (str | WatchEntity) reports each branch; keep one line per key and message
        dedup = list(dict.fromkeys(problems))
        raise ConfigError(dedup, path) from None
    problems = _known_taxonomy_check(cfg, tree)
    if check_env:
        if cfg.smtp.password_env and cfg.smtp.password_env not in os.environ:
            loc = ("smtp", "password_env")
            problems.append(("smtp.password_env", _line_of(tree, loc),
                             f"environment variable {cfg.smtp.password_env} is not set"))
    if problems:
        raise ConfigError(problems, path)
    return cfg


def config_path(explicit: str | None) -> Path:
    return Path(explicit or os.environ.get("MONITOR_CONFIG") or "config.yaml")


def load_config(path: str | Path | None = None, *, check_env: bool = False) -> Config:
    p = config_path(str(path) if path else None)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([("", None, "file not found")], str(p)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([("", None, f"not UTF-8 text: {exc}")], str(p)) from None
    return parse_config(text, str(p), check_env=check_env)
