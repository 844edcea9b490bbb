"""Store: identity across issuers, revisions, runs, validators, full-text search (trigram + LIKE)."""

import json
import stat

import pytest

from monitor.models import Notice, canonical_url, normalize_doc_number
from monitor.store import Store

LABELS = {"violations": ["unfiled_product"], "sanctions": ["filing_suspension"],
          "respondents": [{"name": "上海某某投资管理有限公司", "type": "institution"}],
          "fine": {"amount": 500000, "currency": "CNY"}, "evidence": {"unfiled_product": "募集完成后未向协会备案"}}


def notice(**kw) -> Notice:
    base = dict(source="csrc", url="https://www.csrc.gov.cn/csrc/c101928/c1/content.shtml",
                title="行政处罚决定书（甲）", text="当事人：甲。募集完成后未向协会备案。", published="2024-01-02",
                issuer="中国证监会", doc_number="〔2021〕3号")
    base.update(kw)
    return Notice(**base)


@pytest.fixture
def store():
    s = Store(memory=True)
    yield s
    s.close()


def test_new_then_unchanged(store):
    nid, outcome = store.upsert_notice(notice(), LABELS, now="2024-01-02T00:00:00+00:00")
    assert outcome == "new"
    nid2, outcome2 = store.upsert_notice(notice(), LABELS, now="2024-01-03T00:00:00+00:00")
    assert (nid2, outcome2) == (nid, "unchanged")
    row = store.get_notice(nid)
    assert row["first_seen"] == "2024-01-02T00:00:00+00:00"
    assert row["last_seen"] == "2024-01-03T00:00:00+00:00"
    assert json.loads(row["violations"]) == ["unfiled_product"]
    assert row["fine_amount"] == 500000 and row["fine_currency"] == "CNY"
    assert store.count_notices() == 1


def test_same_doc_number_at_two_issuers_is_two_notices(store):
    a, _ = store.upsert_notice(notice(), LABELS)
    b, outcome = store.upsert_notice(notice(issuer="上海证监局", url="https://www.csrc.gov.cn/shanghai/c1/c2/content.shtml"),
                                     LABELS)
    assert outcome == "new" and a != b
    assert store.count_notices() == 2


def test_doc_number_variants_are_one_notice(store):
    a, _ = store.upsert_notice(notice(doc_number="〔2021〕3号"), LABELS)
    b, outcome = store.upsert_notice(notice(doc_number="[2021] 3 号"), LABELS)
    assert a == b and outcome == "unchanged"


def test_without_doc_number_identity_is_the_canonical_url(store):
    a, _ = store.upsert_notice(notice(doc_number=None, url="http://www.amac.org.cn/x/t1.html#top"), LABELS)
    b, outcome = store.upsert_notice(notice(doc_number=None, url="https://www.amac.org.cn/x/t1.html"), LABELS)
    assert a == b and outcome == "unchanged"
    assert store.known_url("https://www.amac.org.cn/x/t1.html")
    assert not store.known_url("https://www.amac.org.cn/x/t2.html")


def test_changed_text_is_a_revision(store):
    nid, _ = store.upsert_notice(notice(), LABELS, now="2024-01-02T00:00:00+00:00")
    _, outcome = store.upsert_notice(notice(text="当事人：甲。更正后的文本。"), LABELS, now="2024-02-01T00:00:00+00:00")
    assert outcome == "revised"
    row = store.get_notice(nid)
    assert row["amended"] == 1 and row["revision_count"] == 1
    assert row["text"] == "当事人：甲。更正后的文本。"
    assert row["first_seen"] == "2024-01-02T00:00:00+00:00"
    revs = store.revisions(nid)
    assert [r["text"] for r in revs] == ["当事人：甲。募集完成后未向协会备案。"]
    assert store.count_notices() == 1


def test_whitespace_only_change_is_not_a_revision(store):
    store.upsert_notice(notice(), LABELS)
    _, outcome = store.upsert_notice(notice(text="当事人：甲。\n募集完成后未向协会备案。  "), LABELS)
    assert outcome == "unchanged"


def test_baseline_notices_are_not_pending_alerts(store):
    a, _ = store.upsert_notice(notice(), LABELS, baseline=True)
    b, _ = store.upsert_notice(notice(doc_number="〔2021〕4号"), LABELS)
    assert store.pending_alerts() == [b]
    store.mark_alerted([b])
    assert store.pending_alerts() == []


@pytest.mark.parametrize("query,expected", [
    ("未向协会备案", 1),  # trigram FTS
    ("备案", 1),  # two characters: LIKE fallback
    ("甲", 1),  # one character
    ("不存在的词语", 0),
    ('"引号', 0),  # FTS syntax characters are quoted, not interpreted
    ("100%", 0),
])
def test_search_chinese(store, query, expected):
    store.upsert_notice(notice(), LABELS)
    assert len(store.search(query)) == expected


def test_search_finds_revised_text(store):
    store.upsert_notice(notice(), LABELS)
    store.upsert_notice(notice(text="当事人：甲。操纵证券市场。"), LABELS)
    assert len(store.search("操纵证券市场")) == 1
    assert len(store.search("未向协会备案")) == 0


def test_runs_and_interrupted_run(store):
    r1 = store.start_run("amac")
    assert not store.has_completed_run("amac")
    # a second start while r1 is 'running' means r1's process died
    r2 = store.start_run("amac")
    first = store.db["runs"].get(r1)
    assert first["status"] == "failed" and "interrupted" in first["error"]
    store.finish_run(r2, status="ok", new=1, seen=3, revised=0, failed=0, error=None, requests=2, duration=0.5)
    assert store.has_completed_run("amac")
    assert store.last_runs("amac")[0]["seen"] == 3


def test_catch_up_floor_is_the_first_run_since_the_last_ok_one(store):
    def run(status):
        rid = store.start_run("amac")
        if status is not None:
            store.finish_run(rid, status=status, new=0, seen=0, revised=0, failed=0, error=None, requests=0,
                             duration=0)
        return rid

    first = run(None)  # killed: marked failed by the next start
    current = store.start_run("amac")
    assert store.catch_up_floor("amac", current) == first  # an interrupted baseline is caught up too
    store.finish_run(current, status="ok", new=0, seen=0, revised=0, failed=0, error=None, requests=0, duration=0)
    ok = run("ok")
    nxt = store.start_run("amac")
    assert store.catch_up_floor("amac", nxt) is None
    store.finish_run(nxt, status="partial", new=0, seen=0, revised=0, failed=1, error="x", requests=0, duration=0)
    failed = run("failed")
    later = store.start_run("amac")
    assert store.catch_up_floor("amac", later) == nxt and failed > nxt > ok
    assert store.catch_up_floor("csrc", later) is None


def test_stored_before_run(store):
    store.upsert_notice(notice(), LABELS, run_id=3)
    url = notice().url
    assert store.stored_before_run(url, 4) and not store.stored_before_run(url, 3)
    assert not store.stored_before_run("https://www.csrc.gov.cn/other.shtml", 4)


def test_validators_roundtrip(store):
    assert store.get_validators("https://x/a") is None
    store.set_validators("https://x/a", '"abc"', "Tue, 01 Jan 2024 00:00:00 GMT")
    assert store.get_validators("https://x/a") == ('"abc"', "Tue, 01 Jan 2024 00:00:00 GMT")


def test_db_file_mode_0600(tmp_path):
    path = tmp_path / "sub" / "r.db"
    Store(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_reopen_keeps_data_and_migrations_are_idempotent(tmp_path):
    path = tmp_path / "r.db"
    with Store(path) as s:
        s.upsert_notice(notice(), LABELS)
    with Store(path) as s:
        assert s.count_notices() == 1
        assert s.db.execute("pragma integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("a,b", [("〔2021〕3号", "[2021]3号"), ("〔2021〕3号", "（2021）3号"), ("〔2024〕第61号", "〔2024〕61号")])
def test_doc_number_folding(a, b):
    assert normalize_doc_number(a) == normalize_doc_number(b)


def test_canonical_url():
    assert canonical_url("//www.csrc.gov.cn/a") == "https://www.csrc.gov.cn/a"
    assert canonical_url("http://www.csrc.gov.cn/a#x") == "https://www.csrc.gov.cn/a"
