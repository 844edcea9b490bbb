"""Respondents, document numbers and issuing bodies, read from normalised notice text (zh and en)."""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

# patterns used inside functions, compiled once (a module-level re.sub/search call pays a cache lookup each time)
_WS_RUN = re.compile(r"\s+")
_DOC_PREFIX = re.compile(r"^.*?(?=[\u4e00-\u9fff]{0,10}(?:决定书|处罚字|监管函|警示函|措施|处分|纪律处分|[罚处函字])?[〔\[(](?:19|20))")
_DOC_LABEL = re.compile(r"^(?:决定书|文件)?(?:编号|文号)")  # the label before a number (编号〔2025〕66号), not part of it
_LISTED_CO_END = re.compile(r"股份有限公司$")
_NAME_LEAD = re.compile(r"^(当事人|被申请人|申请人|对|关于对|关于注销|关于撤销|关于不予登记|关于不予办理|关于|注销|撤销|不予登记|不予办理|公司|你公司|你(?!们)|其(?=[\u4e00-\u9fff*]{2}))")
_NAME_TAIL = re.compile(r"(等\d+名[^)]*|等[一二三四五六七八九十]+名[^)]*|及有关责任人|及相关责任人|及相关人员|相关责任人|有关责任人|及责任人|分别|各自|均|各)$")
_NAME_SEP = re.compile(r"[、,;]|及(?!其)|和(?!解)|与")
_NAME_SEP_NO_HE = re.compile(r"[、,;]|及(?!其)|与")
_PARTY_LABEL = re.compile(r"(?:被处罚)?当事人(?:姓名或名称|名称或姓名|名称|姓名)?[:]\s*")
# A listed company's short name (某某股份, 某某集团) is an institution, never a person's name.
_SHORT_ORG_END = re.compile(r"(?:股份|集团|控股|科技|实业|证券|银行|信托|期货|保险|基金|投资|资本|资管)$")
_LINE_OR_SEMI = re.compile(r"\n|;")
_NOT_PARTY_LINE = re.compile(r"^(一|二|三|经查|依据|根据|本案|[一二三四五六七八九十]+、|\(一\)|当事人)")
_OTHER_FIELD = re.compile(r"[^:,。;]{2,20}:")
_COMMA_OR_PAREN = re.compile(r"[,。]|\((?!(?:有限|普通|特殊普通)合伙\))")  # a partnership's (有限合伙) is part of its name
_TITLE_TARGET = re.compile(r"关于对(.+?)(?:采取|予以|给予|作出|实施|的监管函|的纪律处分|的行政处罚|的处分)")
# 关于注销/撤销X(的)私募基金管理人登记(的公告): the registration of X
_TITLE_CANCEL = re.compile(r"关于(?:注销|撤销|取消)(.{2,60}?)的?(?:私募(?:投资)?基金管理人登记|管理人登记|会员资格|基金从业资格)")
_DECISION_PAREN = re.compile(r"决定书\(((?:[^()]|\([^()]{1,10}\)){2,80})\)")  # one nested (北京) allowed
_HEADING_LINE = re.compile(r"(?m)^([^\n:]{2,60})[:]\s*$")
_NOT_ADDRESSEE = re.compile(r"决定|通知|公告|函|[0-9]|经查|以下|如下|存在|违规|违法")
_BOARD_SUFFIX = re.compile(r"(董事会|全体股东)$")
_ADDR_LEAD = re.compile(r"^(关于对|关于|对|向|根据|显示|经查明|经查|中国证监会|证监会)")
_ADDR_VERB_PREFIX = re.compile(r"^.*(下发|发出|出具|对|向|纪律处分|行政处罚|处分决定|处罚决定)")
_REGULATOR_WORDS = re.compile(r"证券交易所|监督管理|监管局|证监|协会|交易所|银监|委员会|通讯社|财经|新闻|报社")
_CLAUSE_TARGET = re.compile(r"对(.{1,80}?)(给予|予以|处以|采取|进行|责令|作出|出具|并处|没收|罚款|警告|加入|列入|纳入|处)"
                            r"|将([^。;,:]{2,40}?)(?:加入|列入|纳入)黑名单")

# --------------------------------------------------------------------------------------------- doc numbers
_ZH_DOC = re.compile(r"[\u4e00-\u9fffA-Za-z]{0,16}[〔\[(]\s*(?:19|20)\d{2}\s*[〕\])]\s*第?\s*\d+(?:\s*[-—–]\s*\d+)?\s*号")
# The same match found from its bracket (a character-class start sre skips to cheaply), then extended back over the
# up to 16 letters before it: the leftmost match of _ZH_DOC always starts in front of the first bracket that fits.
_ZH_DOC_CORE = re.compile(r"[〔\[(]\s*(?:19|20)\d{2}\s*[〕\])]\s*第?\s*\d+(?:\s*[-—–]\s*\d+)?\s*号")
_ZH_DOC_LEAD = re.compile(r"[\u4e00-\u9fffA-Za-z]{0,16}\Z")


def _zh_doc_search(src: str) -> str | None:
    m = _ZH_DOC_CORE.search(src)
    if m is None:
        return None
    lead = _ZH_DOC_LEAD.search(src, max(0, m.start() - 16), m.start())
    return src[lead.start() if lead else m.start(): m.end()]
_EN_DOC = re.compile(r"\b(?:Litigation Release No\.|Lit\. Release No\.|Rel\.|Release No\.)\s*((?:IA|34|33|LR|AAER|IC)-?\s?\d{3,6}|\d{4,6})", re.I)
_LR_URL = re.compile(r"litreleases/\d{4}/lr(\d{4,6})\.htm")


def find_doc_number(title: str, text: str, lang: str) -> str | None:
    """The notice's own number: 上海证券交易所纪律处分决定书〔2021〕152号, 〔2021〕66号, LR-23449, IA-6079."""
    if lang == "zh":
        head = text[:400]
        for src in (head, title, text):
            found = _zh_doc_search(src)
            if found:
                doc = _WS_RUN.sub("", found)
                # Drop narrative words glued before the number (收到...决定(〔2024〕195号) → 〔2024〕195号).
                doc = _DOC_LABEL.sub("", _DOC_PREFIX.sub("", doc, count=1))
                if doc[0] in "[(":
                    doc = "〔" + doc[1:5] + "〕" + doc[6:]
                return doc
        return None
    m = _LR_URL.search(text)
    if m:
        return f"LR-{m.group(1)}"
    head = text[:300]
    # every _EN_DOC alternative holds "rel" (any case; no other character folds to r, e or l): a cheap gate
    m = (_EN_DOC.search(title) if "rel" in title.lower() else None) or (
        _EN_DOC.search(head) if "rel" in head.lower() else None)
    if m:
        return m.group(1).replace(" ", "").upper()
    return None


# --------------------------------------------------------------------------------------------- issuers
_SOURCE_ISSUER = {"amac": "AMAC", "csrc": "CSRC", "nfra": "NFRA", "sse": "SSE", "szse": "SZSE", "bse": "BSE",
                  "sec": "SEC", "finra": "FINRA", "fca": "FCA", "sfc": "SFC", "cbirc": "CBIRC", "neeq": "NEEQ",
                  "pboc": "PBOC"}
_ISSUER_PATTERNS = [
    ("CSRC_local_bureau", re.compile(r"证监局|证券监督管理委员会[\u4e00-\u9fff]{2,4}监管局|中国证监会[\u4e00-\u9fff]{2,4}监管局")),
    ("AMAC", re.compile(r"基金业协会|中基协|AMAC")),
    ("SSE", re.compile(r"上海证券交易所|上交所")),
    ("SZSE", re.compile(r"深圳证券交易所|深交所")),
    ("BSE", re.compile(r"北京证券交易所|北交所")),
    ("NEEQ", re.compile(r"全国中小企业股份转让系统|全国股转|股转公司|挂牌公司")),
    ("NFRA", re.compile(r"国家金融监督管理总局|金融监管总局|金融监管局|金融监管分局")),
    ("CBIRC", re.compile(r"银保监|银监")),
    ("PBOC", re.compile(r"中国人民银行|人民银行[\u4e00-\u9fff]{0,6}(分行|中心支行)")),
    ("CSRC", re.compile(r"中国证监会|证监会|中国证券监督管理委员会")),
    ("FINRA", re.compile(r"\bFINRA\b|Financial Industry Regulatory Authority")),
    ("FCA", re.compile(r"Financial Conduct Authority|\bFCA\b|FINAL NOTICE")),
    ("SEC", re.compile(r"Securities and Exchange Commission|\bSEC\b")),
]


def find_issuer(title: str, text: str, source: str | None) -> str | None:
    """Issuing body id (taxonomy issuing_bodies): the source decides when known, else the earliest named body."""
    if source:
        key = source.strip().lower().split("_")[0].split("-")[0].split(" ")[0]
        if key in _SOURCE_ISSUER:
            sid = _SOURCE_ISSUER[key]
            if sid == "CSRC" and _ISSUER_PATTERNS[0][1].search(title + text[:300]):
                return "CSRC_local_bureau"
            return sid
        up = source.strip().upper()
        if up.startswith("CSRC_LOCAL"):
            return "CSRC_local_bureau"
        for name, _ in _ISSUER_PATTERNS:
            if up.startswith(name):
                return name
    head = title + "\n" + text[:600]
    best: tuple[int, int, str] | None = None
    for rank, (name, rx) in enumerate(_ISSUER_PATTERNS):
        m = rx.search(head)
        if m and (best is None or (m.start(), rank) < best[:2]):
            best = (m.start(), rank, name)
    return best[2] if best else None


# --------------------------------------------------------------------------------------------- tables
def parse_table_rows(text: str) -> list[dict[str, str]]:
    """A CSV header and its rows (dataset exports of penalty disclosure tables: an NFRA 行政处罚信息公开表 lists the
    institution, then each responsible person, one row each), as [{column: value}]; rows with another number of cells
    than the header are skipped."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2 or lines[0].count(",") < 4 or "当事人" not in lines[0]:
        return []
    try:
        rows = list(csv.reader(io.StringIO("\n".join(lines))))
    except csv.Error:
        return []
    head = [h.strip() for h in rows[0]]
    if len(rows) < 2 or len(rows[1]) != len(head) or any(len(h) > 20 for h in head):
        return []  # prose that opens with a party line (当事人:周某,男,1990年出生,…), not a header and its rows
    return [{h: v.strip() for h, v in zip(head, row)} for row in rows[1:] if len(row) == len(head)]


# --------------------------------------------------------------------------------------------- zh respondents
_ORG_SUFFIX = r"(?:股份有限公司|有限责任公司|有限公司|集团公司|(?:总|分)?公司|合伙企业(?:\((?:有限|普通)合伙\))?|\(有限合伙\)|会计师事务所(?:\([^)]{2,12}\))?|律师事务所|事务所|银行[\u4e00-\u9fff]{0,10}?(?:支行|分行|营业部)|银行|支行|分行|信用社|合作联社|证券营业部|营业部|研究院|中心|协会)"
_ORG = re.compile(rf"[\u4e00-\u9fffA-Za-z0-9*()]{{2,40}}?{_ORG_SUFFIX}")
# _ORG's matches found suffix-first (a lazy name run tried from every offset is slow): the same alternation with
# every branch led by a literal, so sre skips to candidate suffixes; the name run is then read backwards.
_ORG_SUFFIX_LED = re.compile(_ORG_SUFFIX.replace("(?:总|分)?公司", "总公司|分公司|公司"))
_ORG_RUN_TAIL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9*()]*\Z")
_IS_ORG = re.compile(_ORG_SUFFIX + "$")


def org_spans(src: str) -> Iterator[tuple[int, int]]:
    """(start, end) of what _ORG.finditer(src) matches, in order."""
    pos = q = 0
    while True:
        m = _ORG_SUFFIX_LED.search(src, q)
        if m is None:
            return
        s = m.start()
        run = _ORG_RUN_TAIL.search(src, max(pos, s - 40), s)
        p = run.start() if run else s
        if s - p >= 2:
            yield p, m.end()
            pos = q = m.end()
        else:
            q = s + 1
_ZH_PERSON = re.compile(r"^[\u4e00-\u9fff·*]{2,5}$|^[\u4e00-\u9fff][*xX某]{1,3}$|^[\u4e00-\u9fff]{1,2}某{1,2}[\u4e00-\u9fff]?$")
_ROLE_ZH = [
    ("actual_controller", re.compile(r"实际控制人")),
    ("controlling_shareholder", re.compile(r"控股股东")),
    ("legal_representative", re.compile(r"法定代表人|执行事务合伙人")),
    ("chairman", re.compile(r"(?<!副)董事长")),
    ("general_manager", re.compile(r"总经理|总裁|经营管理主要负责人")),
    ("cfo", re.compile(r"财务总监|财务负责人|总会计师")),
    ("board_secretary", re.compile(r"董事会秘书|董秘")),
    ("compliance_officer", re.compile(r"合规(风控)?负责人|风控负责人|合规总监|首席合规官")),
    ("fund_manager_pm", re.compile(r"基金经理|投资经理")),
    ("director_supervisor", re.compile(r"董事|监事")),
    ("employee", re.compile(r"从业人员|员工|客户经理|保荐代表人|职员|工作人员")),
    ("directly_responsible_person", re.compile(r"直接负责的主管人员|直接责任人员")),
]
_INST_ROLE_ZH = [
    ("intermediary", re.compile(r"会计师事务所|律师事务所|评估")),
    ("bank", re.compile(r"银行|信用社|合作联社")),
    ("insurer", re.compile(r"保险")),
    ("securities_firm", re.compile(r"证券(股份)?有限|证券公司|期货")),
    ("private_fund_manager", re.compile(r"私募|投资管理|资产管理|资本管理|基金管理|股权投资|创业投资|投资基金|投资合伙|投资中心")),
]
_ROLE_WORDS = re.compile(r"(时任|原|现任|前|相关)?(公司)?(实际控制人|控股股东|法定代表人|执行事务合伙人(委派代表)?|副?董事长|总经理|副总经理|总裁|财务总监|财务负责人|总会计师|"
                         r"董事会秘书|合规风控负责人|合规负责人|风控负责人|基金经理|投资经理|董事|监事|独立董事|高级管理人员|从业人员|员工|保荐代表人|"
                         r"直接负责的主管人员|其他直接责任人员|责任人|当事人|负责人|签字注册会计师|注册会计师|兼|、|及)+")


# 时任董事长王奇志: a role word then a 2-3 character name. (A leading 时任/公司/现任 adds nothing: no role is read from
# it, and leaving it out lets sre skip straight to the role words.)
_ROLE_PERSON = re.compile(r"(副董事长|董事长|总经理|财务负责人|财务总监|董事会秘书|实际控制人|法定代表人|合规风控负责人|合规负责人)"
                          r"([\u4e00-\u9fff*]{2,3}?)(?=[,、;。对未负违在作和及加被等因])")


def _inst_role(name: str, sectors: set[str]) -> str | None:
    if "listed" in sectors and _LISTED_CO_END.search(name):
        return "listed_company"
    for role, rx in _INST_ROLE_ZH:
        if rx.search(name):
            if role == "private_fund_manager" and "fund" not in sectors:
                continue
            return role
    if "listed" in sectors:
        return "listed_company"
    return None


def _person_role(desc: str) -> str | None:
    for role, rx in _ROLE_ZH:
        if rx.search(desc):
            return role
    return None


def _is_org(name: str) -> bool:
    return _IS_ORG.search(name) is not None


def _clean_name(raw: str) -> str:
    s = _ENUM_LEAD.sub("", raw.strip(" ,;:、。\"“”'"))  # (1.某某银行; 2.张某: a numbered list)
    if "控股股东" in s or "实际控制人" in s:  # 某某股份有限公司控股股东某某集团有限公司 → the shareholder itself
        tail = _HOLDER_OF.split(s)[-1]
        if len(tail) >= 2:
            s = tail
    s = _NAME_LEAD.sub("", s)  # 你们 stays: it means all of them
    s = _NAME_TAIL.sub("", s)
    s = _ROLE_WORDS.sub("", s) if not _is_org(s) else s
    return s.strip(" ,;:、")


_ENUM_LEAD = re.compile(r"^(?:[0-9]{1,2}[.、)]|\([0-9]{1,2}\)|[一二三四五六七八九十]{1,3}、)\s*")
_HOLDER_OF = re.compile(r"(?:控股股东|实际控制人)")


def _split_names(s: str) -> list[str]:
    if "和" in s and _is_org(s):  # 和 inside a firm's name (盛世嘉和投资基金管理(北京)有限公司) is no conjunction
        parts = [q for p in _NAME_SEP_NO_HE.split(s) for q in _split_he(p)]
    else:
        parts = _NAME_SEP.split(s)
    return [p for p in (_clean_name(x) for x in parts) if p]


def _split_he(piece: str) -> list[str]:
    """Cut at 和 only after a complete firm name (甲公司和乙公司)."""
    out, start = [], 0
    for i, ch in enumerate(piece):
        if ch == "和" and i > start and _is_org(piece[start:i]):
            out.append(piece[start:i])
            start = i + 1
    out.append(piece[start:])
    return out


# Two- or three-character words that read like a name after a role (实际控制人信息, 法定代表人身份): no person
_NOT_PERSON = frozenset("信息 情况 身份 职务 责任 变更 名称 姓名 签字 任职 人员 期间 职责 义务 要求 资格 账户 名义 审批 决策 指示 "
                        "安排 控制 同意 授意 认定 登记 备案 签署 本人".split())


# Pronouns and the deciding body's words for itself (本所将记入诚信档案, 我会决定): never a party
_NOT_PARTY = frozenset("公司 你们 其 上述 相关 该公司 你所 你单位 该行 你行 本所 我所 本会 我会 本局 我局 本协会 协会 "
                       "本委 我委 本公司 本行 我行 本院".split())


def party_zh(name: str, desc: str, sectors: set[str]) -> dict | None:
    """A respondent record for a cleaned name that is an organisation or a person's name, else None."""
    if not name or len(name) > 40 or name in _NOT_PARTY:
        return None
    if _is_org(name) or _SHORT_ORG_END.search(name):
        rec = {"name": name, "type": "institution"}
        role = _inst_role(name, sectors)
    elif _ZH_PERSON.match(name) and name not in _NOT_PERSON:
        rec = {"name": name, "type": "individual"}
        role = _person_role(desc)
    else:
        return None
    if role:
        rec["role"] = role
    return rec


_ROLE_PAREN_END = re.compile(r"\([^()]*\)$")


def table_party(row: dict[str, str]) -> str:
    """A table row's party cell (当事人 / 当事人名称), as written: 吕文涛(时任…总经理) keeps its role."""
    return row.get("当事人") or row.get("当事人名称") or ""


def respondents_zh(title: str, text: str, sectors: set[str], table: dict[str, str] | None = None) -> list[dict]:
    """Respondents with kind and role, from a table row, a 当事人 block, the addressee line or the title."""
    found: dict[str, dict] = {}

    def add(name: str, desc: str = "") -> None:
        name = _clean_name(name)
        if not name or any(name != k and (name in k) for k in found):  # a short form of a name we already have
            return
        rec = party_zh(name, desc, sectors)
        if rec is not None:
            found.setdefault(name, rec)

    if table:
        name = table_party(table)
        kind = table.get("当事人类型", "")
        base = _ROLE_PAREN_END.sub("", name)
        person = "个人" in kind or "自然人" in kind or (not kind and _ZH_PERSON.match(base) is not None)
        if person and base:  # 吕文涛(时任某银行某分行财富管理部总经理): the name, its role in brackets
            name = base
        if name:
            rec = {"name": name, "type": "individual" if person else "institution"}
            role = _inst_role(name, sectors | ({"bank"} if "银" in (table.get("处理机构") or "") else set()))
            if rec["type"] == "institution" and role:
                rec["role"] = role
            found[name] = rec
        return list(found.values())

    # 当事人: blocks, one party per line (or separated by ;)
    for m in _PARTY_LABEL.finditer(text):
        block = text[m.end(): m.end() + 1200]
        for line in _LINE_OR_SEMI.split(block):
            line = line.strip()
            if not line:
                continue
            if _OTHER_FIELD.match(line) and not line.startswith("当事人"):
                break  # the next field of a form (违法行为类型：…, 作出处罚决定的机关名称：…)
            if _NOT_PARTY_LINE.match(line) or len(line) > 200:
                if line.startswith("当事人"):
                    line = line[3:].lstrip(": ")  # the next party's own 当事人: line
                    if not line:
                        continue
                else:
                    break
            head = _COMMA_OR_PAREN.split(line, maxsplit=1)[0]
            add(head, line)
        break
    # 关于对X、Y及Z采取/予以/给予 ... 的决定, 行政处罚决定书(A、B等12名责任主体)
    for src in (title, text[:300]):
        m = _TITLE_TARGET.search(src)
        if m:
            for n in _split_names(m.group(1)):
                add(n)
        m = _DECISION_PAREN.search(src)
        if m:
            for n in _split_names(m.group(1)):
                add(n)
        m = _TITLE_CANCEL.search(src)
        if m:
            for n in _split_names(m.group(1)):
                add(n)
    # Addressee line: "中天国富证券有限公司及方蔚、赵亮:" at the start of a line
    for m in _HEADING_LINE.finditer(text[:600]):
        cand = m.group(1)
        if "当事人" not in cand and not _NOT_ADDRESSEE.search(cand):
            for n in _split_names(_BOARD_SUFFIX.sub("", cand)):
                add(n)
    # A list of decisions, one party per line: "上海某甲资产管理有限公司：未履行…。处分：…", "王某某(某甲法定代表人)：…"
    if text.count("\n") >= 2:
        for name in line_parties(text):
            add(name)
    # Role-labelled people named anywhere in the first part: 时任董事长王奇志
    for m in _ROLE_PERSON.finditer(text, 0, 3000):
        add(m.group(2), m.group(0))
    if not found:
        src = title + "\n" + text[:400]
        for a, b in org_spans(src):
            name = _ADDR_LEAD.sub("", src[a:b])
            name = _ADDR_VERB_PREFIX.sub("", name)
            if not _REGULATOR_WORDS.search(name):
                add(name)
                break
    return list(found.values())


# A measure that names its party inside it: 取消李某高级管理人员任职资格3年, 禁止王五终身从事银行业工作.
_BAN_TARGET = re.compile(r"(?:取消|撤销)([^。;,:]{2,20}?)的?(?:董事|监事|高级管理人员|高管人员|任职)"
                         r"|禁止([^。;,:]{2,20}?)(?:终身|[0-9一二三四五六七八九十]+年内?)?从事"
                         # AMAC: 撤销X私募基金管理人登记, 取消Y基金从业资格, 取消Z会员资格
                         r"|(?:取消|撤销|注销)([^。;,:]{2,30}?)的?(?:基金从业资格|从业资格|会员资格|私募基金管理人登记|管理人登记)")


# A line opened by a party and a colon: a firm, or a person whose role follows in parentheses.
_LINE_PARTY = re.compile(r"(?m)^([\u4e00-\u9fffA-Za-z0-9*()]{2,40}?)(\([^)\n]{0,30}\))?:")


def line_party(body: str, pos: int) -> str | None:
    """The party opening the line that holds pos (see _LINE_PARTY), if any."""
    m = _LINE_PARTY.match(body, body.rfind("\n", 0, pos) + 1)
    if m is None or m.end() > pos:
        return None
    name, paren = m.group(1), m.group(2) or ""
    if _NOT_A_PARTY_LINE.search(name):
        return None  # 我部提醒你公司：… is the regulator speaking
    if _is_org(name) or (paren and _ROLE_IN_PAREN.search(paren) and _ZH_PERSON.match(name)):
        return name
    return None


_NOT_A_PARTY_LINE = re.compile(r"[你我其该本]|提醒|要求|请|决定|关注|说明")
_ROLE_IN_PAREN = re.compile(r"代表人|董事|总经理|负责人|实际控制人|股东|高管|从业人员|基金经理|合伙人")


def line_parties(text: str) -> list[str]:
    """Every party opening a line (see line_party)."""
    out = []
    for m in _LINE_PARTY.finditer(text):
        name = line_party(text, m.end())
        if name and not _NOT_ADDRESSEE.search(name):
            out.append(name)
    return out


def pair_target_names(clause: str) -> list[str]:
    """Names a sanction clause is addressed to: 对A给予警告 → [A]; 对B、C给予... → [B, C]; 取消D任职资格 → [D]."""
    m = _CLAUSE_TARGET.search(clause) or _BAN_TARGET.search(clause)
    if m:
        return _split_names(next(g for g in m.groups() if g))
    return []


# --------------------------------------------------------------------------------------------- en respondents
# Runs of capitalised words (with "of", "and", "&" and name particles inside; a firm may open with a digit: 3G
# Capital Partners), never inside a word: eBay and deVere whole, not "Bay", "Vere"; one linear scan per sentence.
_CAP_RUN = re.compile(r"(?<![0-9A-Za-zÀ-ÖØ-öø-ÿĀ-ſ])(?:[a-z]{1,3}(?=[A-Z]))?[0-9]?[A-ZÀ-ÖØ-Þ][A-Za-z0-9À-ÖØ-öø-ÿĀ-ſ.'&/-]*(?:,? (?:\([A-Z][a-z]+\) )?(?:[0-9]?[A-ZÀ-ÖØ-Þ][A-Za-z0-9À-ÖØ-öø-ÿĀ-ſ.'&/-]*|of|and|&|de|del|la|van|plc|"
                      r"von|da|dos|das|du|le|di|y)(?= |,|\.|;|:|$))*")  # Latin letters with accents (Peña, Müller)
_ORG_END = frozenset("plc llc l.l.c. inc inc. incorporated corp corp. corporation ltd ltd. limited partnership lp l.p. llp co. company "
                     "holdings partners group fund trust capital management advisors advisers investments "
                     "s.a. s.a.b. c.v. n.v. b.v. ag gmbh s.p.a. s.r.l. sarl pty pte".split())  # (foreign legal forms)
# Nationalities: they describe a person (Israeli Asher Zwebner, a Costa Rican hotel) but open a firm's name before
# its suffix (American Superconductor Corp.)
_DEMONYMS = frozenset("israeli spanish canadian british chinese american rican mexican brazilian russian indian "
                      "japanese korean australian venezuelan colombian nigerian ukrainian dominican peruvian "
                      "panamanian argentine chilean cuban haitian jamaican swiss taiwanese vietnamese malaysian "
                      "singaporean indonesian filipino turkish egyptian saudi european asian african".split())
_STOP = frozenset("the this that on in according securities exchange commission sec united states district court judge "
                  "federal southern northern eastern western central middle without section rule act investment "
                  "litigation release honorable chief department office bureau financial industry regulatory authority "
                  "state new supreme general attorney attorneys mr ms mrs dr judgment final form see for u.s. u.s "
                  "internal revenue service division enforcement regional fraud task force unit complaint charges "
                  "charged charges obtains obtained announces announced files filed halts sentenced court enters "
                  "former a an and of with against in its his her their as ceo cfo coo cco president vice senior chairman "
                  "executive officer founder owner partner monday tuesday "
                  "wednesday thursday friday saturday sunday january february march april may june july august "
                  "september october november december by order las vegas los angeles san new york boston "
                  "miami chicago denver atlanta philadelphia salt lake city washington d.c. florida california texas "
                  "massachusetts illinois delaware ohio oregon georgia colorado arizona nevada utah virginia jersey "
                  "louisiana circuit eleventh second ninth fund document studio firm offering defendants defendant "
                  "respondent respondents relief matter civil action rules authority authority's authoritys principles "
                  "regulation regulations abuse laundering s.d n.d e.d w.d c.d m.d d.n.j d.d.c fla indictment no "
                  "criminal proceeding proceedings requiring show cause compliance both rel release".split()) | _DEMONYMS


# Stop words that also open firms' names: places, and State / Financial / Investment / National…
_NAME_OPENERS = frozenset("state new united financial investment federal general southern northern eastern "
                          "western central middle las vegas los angeles san york boston miami chicago denver "
                          "atlanta philadelphia salt lake city washington florida california texas massachusetts "
                          "illinois delaware ohio oregon georgia colorado arizona nevada utah virginia jersey louisiana".split())
assert _NAME_OPENERS <= _STOP


_STAFF = re.compile(r"(?<![A-Za-z])(conducted by|led by|supervised by|assisted by|assistance (?:of|from)|handled by|"
                    r"trial (?:team|counsel)|paralegal|appreciates|consisted of|with assistance|Co-Chief|Chief of)")
# every _STAFF alternative contains one of these: a sentence with none of them cannot match it
_STAFF_NEEDLES = ("d by", "assistance", "trial ", "paralegal", "appreciates", "consisted of", "Chief")
_LATER_CHARGE = re.compile(r"\b(?:charges|charged|charging|named as|defendants?\b|with violating|violated|"
                           r"(?:complaint|claims|litigation|proceedings|judgments?|action) (?:\w+ )?against)")
_CHARGE_CTX = re.compile(r"charg|against|defendant|complaint|sentenced|indicted|pleaded|pled|judgment|consented|"
                         r"enjoin|barred|alleg|ordered|settle|violat|Respondent|consents|imposes on|penalty on|"
                         r"contempt|order finding|According to the|subpoena|order requiring|"
                         r"fined|reprimanded|banned|censured|prohibiting|Waiver and Consent")  # (FCA, SFC, FINRA wordings)


_ORG_END_BARE = frozenset(w.rstrip(".") for w in _ORG_END)
# A legal form spelt as in running text, for the regexes that look for one after a name
_LEGAL_FORM = r"(?:Inc\.?|LLC|L\.L\.C\.|Corp\.?|Corporation|Co\.|Company|Ltd\.?|LP|L\.P\.|LLP|Limited)"
_LEGAL_SUFFIX = frozenset("plc llc l.l.c inc incorporated corp corporation ltd limited lp l.p llp co "
                          "s.a s.a.b c.v n.v b.v ag gmbh s.p.a s.r.l sarl pty pte".split())
_AND_CAP = re.compile(r" and (?=[A-Z])")
# _CHARGE_CTX and _STAFF are alternations of plain literals: a sentence matches one iff one of these literals lies
# wholly inside it. One Aho-Corasick pass over the opening sentences finds them all (kind 0 charge, 1 staff).
_CHARGE_LITS = tuple(_CHARGE_CTX.pattern.split("|"))
_STAFF_LITS = ("conducted by", "led by", "supervised by", "assisted by", "assistance of", "assistance from",
               "handled by", "trial team", "trial counsel", "paralegal", "appreciates",
               "consisted of", "with assistance", "Co-Chief", "Chief of")
try:
    import ahocorasick_rs as _ac

    _CTX_AC = _ac.AhoCorasick(list(_CHARGE_LITS) + list(_STAFF_LITS), implementation=_ac.Implementation.DFA)
except ImportError:  # pragma: no cover
    _CTX_AC = None
_N_CHARGE = len(_CHARGE_LITS)


def _ctx_flags(text: str, sentences: list[tuple[int, int]]) -> list[tuple[bool, int]]:
    """(charge context, staff) for each sentence: whether a _CHARGE_CTX match lies wholly inside it, and where the
    first _STAFF match inside it starts (-1 if none)."""
    if _CTX_AC is None or not sentences:  # pragma: no cover
        out = []
        for a, b in sentences:
            st = _STAFF.search(text[a:b]) if any(w in text[a:b] for w in _STAFF_NEEDLES) else None
            out.append((_CHARGE_CTX.search(text, a, b) is not None, a + st.start() if st else -1))
        return out
    hi = sentences[-1][1]
    charge = [False] * len(sentences)
    staff = [-1] * len(sentences)
    starts = [a for a, _ in sentences]
    ends = [b for _, b in sentences]
    # sentences are ordered and disjoint: a match lies inside one only if inside the last one starting at or before it
    for k, s, e in _CTX_AC.find_matches_as_indexes(text[:hi], overlapping=True):
        i = bisect_right(starts, s) - 1
        if i >= 0 and e <= ends[i]:
            if k < _N_CHARGE:
                charge[i] = True
            elif (s == starts[i] or not text[s - 1].isalpha()) and (staff[i] < 0 or s < staff[i]):
                staff[i] = s  # a staff phrase starts a word (`filed by` is no `led by`)
    return list(zip(charge, staff))


def _name_words(part: str) -> list[str]:
    """The words of one capitalised run that can form a name: leading stop words, `X-based` descriptors and a
    trailing `of PLACE` (Edward Kosinski of Weston) dropped. Before an entity suffix the stop words that can open a
    firm's name (State Street Corporation, Boston Investment Partners LLC) stay, back to the first other stop word;
    so do they when they open the run, as in Financial Management Strategies: a longer proper noun, no person."""
    words = (part.replace(",", "") if "," in part else part).split()  # (X-based descriptors: cut by _after_based)
    if "(" in part:  # a nickname inside a name: Earnest H. (Woody) DeLong
        words = [w for w in words if w[0] != "("]
    k = 0
    while k < len(words) and (words[k].lower().rstrip(".") in _STOP and not _INITIAL.match(words[k]) or
                              _ACRONYM_S.match(words[k])):
        k += 1
    if k:
        j = k
        org = any(w.lower().rstrip(".") in _ORG_END_BARE for w in words[k:])  # (… Corp. Parigian: a sentence ran on)
        while j > 0 and (words[j - 1].lower() in _NAME_OPENERS or org and words[j - 1].lower() in _DEMONYMS):
            j -= 1
        if j == 0 or (j < k < len(words) and words[-1].lower().rstrip(".") in _ORG_END_BARE):
            k = j  # (a name opened by such words only is no person's name: the checks on stop words drop it)
        del words[:k]
    if "of" in words:  # a person "of" a place; organisations keep theirs (Bank of America, Law Offices of X)
        k = words.index("of")
        if 2 <= k <= 4 and words[-1].lower() not in _ORG_END and not any(
                w.lower().rstrip(".") in _ORG_END_BARE for w in words[k + 1:]) and not any(
                w.lower().rstrip(".") in _STOP and not _INITIAL.match(w) for w in words[:k]):
            words = words[:k]
    # a joining word ends no name; nor does a lower-case particle (Lionshares de facto), unlike a surname (Vu H. Le)
    while words and (words[-1].lower() in ("of", "and", "&") or words[-1] in _PARTICLES):
        words.pop()
    return words


# A two-word run opened by these is a place (Fort Worth, East Hampton, Mount Vernon), never a person's name; as
# surnames they stay (William Fort, Katherine West Alverson)
_PLACE_OPENERS = frozenset(("Fort", "East", "West", "North", "South", "Mount", "Port", "Lake", "Saint", "St."))
_PARTICLES = frozenset("de del la van von da dos das du le di y".split())


_DIGIT = re.compile(r"[0-9]")  # a person's name has none (Cleantech CTS-1000 is a product)
# An acronym's plural or possessive (co-CEOs Glenn Camp; GCCs Rest of World, the apostrophe lost): not part of a name
_ACRONYM_S = re.compile(r"[A-Z]{2,}s$")
_ORG_POSSESSIVE = re.compile(r"^(?:Inc|Corp|Co|Ltd|LLC|LP|L\.P|PLC|plc)\.?s$")
_INITIAL = re.compile(r"^[A-Z]\.$")  # a middle initial (Richard A. Bailey), not the article "a"
_JUDGE_WORDS = frozenset(("Judge", "Honorable", "Magistrate"))
# Capitalised nouns that end a run but never a person's name: plurals (Defendants, Investors…; surnames ending in
# s stay), places, and bodies that are no firm by suffix (Stanford University, Food and Drug Administration).
_PLURAL_END = frozenset("defendants respondents investors companies entities individuals executives officers directors "
                        "brokers dealers advisers advisors firms banks notes securities shares charges claims states "
                        "parties customers clients traders members employees agents representatives promoters "
                        "affiliates subsidiaries others funds offerings markets exchanges sales rules offices "
                        "island beach republic county city province district tokens coins university college school "
                        "administration agency commission department bureau board association hospital church "
                        "institute council committee accountant relations program initiative islands carolina dakota "
                        "rica reports link market cds interest disclosure disclosures concerts obligations".split())


def _full_name(text: str, surname: str) -> str | None:
    """The first full personal name (given names or initials, then the surname) the text gives for a surname."""
    if len(surname) < 3 or not surname[0].isupper() or surname[1:].isupper() or surname.lower() in _STOP or \
            surname.lower() in _ORG_END_BARE or surname.lower() in _PLURAL_END:
        return None
    i = text.find(" " + surname)
    while i >= 0:
        j = i + 1 + len(surname)
        if j >= len(text) or not (text[j].isalpha() or text[j] == "-"):
            given: list[str] = []
            before = text[max(0, i - 48): i].split(" ")[-4:]
            for w in reversed(before[1:]):
                if w and (w[0].isupper() and w[1:].isalpha() and w.lower() not in _STOP or _INITIAL.match(w)):
                    given.insert(0, w)
                else:
                    break
            if given and len(given) < len(before) and before[-len(given) - 1] in ("of", "for", "at"):
                given.pop(0)  # (Vice President of Operations Steven R. Sabin: a department, then the name)
            if given and not _INITIAL.match(given[0]) or len(given) >= 2:
                return " ".join(given + [surname])
        i = text.find(" " + surname, i + 1)
    return None


# Every _TARGET_LEAD match holds one of these whole: where none lies in a window, the regex need not run there.
_LEAD_KEYWORDS = ("acquisition", "acquir", "merger", "takeover", "buyout", "tender offer", "shares", "stock", "securities",
                  "options", "ahead of", "advance of", "announcement", "interests in", "units", "fficer", "CEO", "CFO", "COO",
                  "resident", "irector", "xecutive", "mployee", "hairman", "ontroller", "reasurer", "ccountant",
                  "onsultant", "investors", "customers", "clients", "anager", "rader", "roker", "nalyst", "anker",
                  "orked", "mployed", "obbyist", "undraiser", "epresentative", "merge", "merging", "combine", "target", "deal", "transaction", "combination",
                  "artner", "hareholder", "tockholder", "wner", "stole", "steal", "embezzl", "siphon")


_LEAD_AC = _ac.AhoCorasick(list(_LEAD_KEYWORDS), implementation=_ac.Implementation.DFA) if _CTX_AC is not None else None


def _keyword_spans(ac: "_ac.AhoCorasick | None", keys: tuple[str, ...], text: str) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of the keys in text, by start: one automaton pass (a regex without one)."""
    if ac is None:  # pragma: no cover
        return sorted((m.start(), m.end()) for m in re.finditer("|".join(map(re.escape, keys)), text))
    return sorted((s, e) for _, s, e in ac.find_matches_as_indexes(text, overlapping=True))


def _lead_keywords(text: str) -> tuple[list[int], list[int]]:
    """(starts, ends) of the _LEAD_KEYWORDS occurrences in text, by start."""
    found = _keyword_spans(_LEAD_AC, _LEAD_KEYWORDS, text)
    return [s for s, _ in found], [e for _, e in found]


def _entity_name(piece: str) -> bool:
    """The piece ends with an entity suffix (Acme, Inc.; Beta Holdings LLC)."""
    return piece.rstrip(" ,.").rsplit(" ", 1)[-1].lower().rstrip(".,") in _ORG_END_BARE


def _after_based(piece: str) -> str:
    """What follows an `X-based` or `X-resident` descriptor (Fort Myers, Florida-based adviser John Doe → John Doe;
    Canton, Ga.-resident James A. Torchia → James A. Torchia)."""
    if "-" not in piece:
        return piece
    low = piece.lower()
    based = max(low.rfind("-based"), low.rfind("-resident"))
    if based < 0:
        return piece
    sp = piece.find(" ", based)
    return piece[sp + 1:] if sp >= 0 else ""


_PLACE_LEAD = re.compile(r"(?<![A-Za-z])(?:residents? of|District of|based in|located in|headquartered in|County of|"
                         r"State of|Commonwealth of|both of|all of|each of|lives in|living in)(?<!\bof of) $|, of $")


# A department after a title (director of operations Karan Raina): the name that follows is the officer's own
_DEPARTMENT = (r"(?:operations|sales|marketing|finance|accounting|compliance|research|trading|engineering|investor relations|"
               r"business development|technology|risk|human resources|communications|underwriting|development|"
               r"product development|strategy)")
# (A new alternative here needs its keyword in _LEAD_KEYWORDS above, or the gate skips it.)
# The company whose securities were traded, or that was acquired, is named after these (not a party itself); so is
# a party's employer (the former Chief Executive Officer of X, a director of X) and the business investors put
# money in (defrauding investors in X). A firm charged as well is named after a charging word too (_named_as_party).
_TARGET_LEAD = re.compile(r"(?<![A-Za-z])(?:(?:acquisition|acquired|merger|takeover|buyout|tender offer|shares|stocks?|securities|"
                          r"options|ahead of|in advance of|announcement|interests in|units (?:of|in)) (?:of |by |for )?"
                          r"(?:the |a |an )?(?:(?:[A-Z][a-z]+ )?[A-Z][A-Za-z.]*-based )?(?:[a-z][a-z-]*:? ){0,6}|(?:acquisition|merger|takeover|tender offer) "
                          r"(?:of|for) [^;]{1,40}? by (?:the )?|(?:[Oo]fficer|CEO|CFO|COO|[Pp]resident|[Dd]irectors?|"
                          r"[Ee]xecutive|[Ee]mployee|[Cc]hairman|[Cc]ontroller|[Tt]reasurer|[Aa]ccountant|[Cc]onsultant|investors|"
                          r"customers|clients|[Pp]artner|[Ss]hareholder|[Ss]tockholder|[Oo]wner) "
                          r"(?:of|in|for|at) (?!" + _DEPARTMENT + r" )(?:the |a |an )?(?:(?!and |or )[a-z][a-z-]* ){0,3}|"
                          r"(?:[Mm]anager|[Tt]rader|[Bb]roker|[Aa]nalyst|[Bb]anker|[Ww]orked|[Ee]mployed|[Rr]epresentatives?(?: \([A-Z]+\))?) at "
                          r"(?:the |a |an )?|(?:merge|merged|merging|combine|combined) with (?:the |a |an )?(?:[a-z][a-z-]* ){0,3}|"
                          r"(?:[Ll]obbyist|[Ff]undraiser|[Ww]orked|[Ee]mployed) (?:for|by) (?:the |a |an )?|"
                          r"(?:acquisition )?target,? |(?:agreed |plans? |planned |negotiations )?to acquire |"
                          r"(?:considering |about |of )?acquiring |(?:merger|deal|transaction|combination) between |"
                          # the victim money was taken from (stealing millions of dollars from X's pension plan)
                          r"(?:stole|stolen|stealing|steal|embezzled|embezzling|siphoned|siphoning) [^;]{0,60}? from (?:the )?)$")
# The vehicle a party ran, formed or paid (payments to his company X, a fund called X, formed X, through two
# corporations, X): named as a party only where a charging word names it too. "Smith and his company X" names X
# beside him, as a party.
_OWNED_LEAD = re.compile(r"(?<![A-Za-z])(?:(?<!and )(?<!, )(?:his|her|their|its) (?:own )?(?:[A-Za-z-]+-based )?(?:[a-z-]+ )?(?:company|companies|firm|firms|"
                         r"entity|entities|fund|business|corporation|corporations)|(?:fund|entity|company|firm|vehicle|"
                         r"business) (?:called|named)(?: the)?|(?:fund|firm|company|entity|business)(?:es|s)? (?:that )?(?:they|he|she) "
                         r"(?:managed|ran|controlled|owned|operated|formed|created|founded)(?: and (?:managed|ran|controlled|owned|"
                         r"operated))?:?|(?:formed|created|set up|"
                         r"established|incorporated|registered|founded|co-founded) "
                         r"(?:a |an |the |two |three )?(?:new )?(?:[a-z-]+ ){0,3}|through (?:[A-Za-z-]+ ){0,3}"
                         r"(?:corporations|companies|entities|firms)),? (?:[A-Z][a-z]+ )?$")
# every _OWNED_LEAD match holds one of these whole, ending at most 70 characters before the run
_OWNED_KEYS = ("compan", "firm", "entit", "fund", "business", "corporation", "called", "named", "formed", "created",
               "set up", "established", "incorporated", "registered", "founded")
_OWNED_AC = _ac.AhoCorasick(list(_OWNED_KEYS), implementation=_ac.Implementation.DFA) if _CTX_AC is not None else None


def _owned_keys(text: str) -> list[int]:
    """Start offsets of the _OWNED_KEYS occurrences in text, ascending."""
    return [s for s, _ in _keyword_spans(_OWNED_AC, _OWNED_KEYS, text)]
# A dismissed party is no respondent: `the SEC dismissed its claims against GTS, LLC`
_DISMISSED_LEAD = re.compile(r"dismiss\w* (?:all |of |its |the |their )*(?:claims|charges|case|action)s? against "
                             r"(?:(?:relief )?defendants? )?$")
# A place before "resident": St. Petersburg, Florida resident Gregory M. Bercowy
_RESIDENT_AFTER = re.compile(r",? residents?\b")
# A run opened by a title and "of" / "at" / "for": Chief Executive Officer of X, Board of Directors of X
_ROLE_OF = re.compile(r"(?<![^ ])(?:(?:(?:Former|Chief|Executive|Financial|Operating|Compliance|Accounting|Officer|CEO|CFO|COO|CCO|"
                      r"President|Vice|Senior|Director|Directors|Managing|Chairman|General|Counsel|Treasurer|"
                      r"Controller|Board|Principal|Employee|Member|Head) )+(?:of|at|for) )+")
# After a run: the issuer traded (Americas Energy common stock) or the employer (a SanDisk, Inc. employee, a former
# Merrill Lynch broker)
_STOCK_AFTER = re.compile(r",? (?:common stock|stock|shares|securities|call options|put options|employees?|"
                          r"(?:stock)?brokers?|executives?|officers?|directors?|analysts?|traders?|insiders?|"
                          r"accountants?|attorneys?|lawyers?|consultants?|board members?|portfolio managers?|"
                          r"investment bankers?|bankers?|(?:was|were|is) (?:going|about|set|planning|expected) to "
                          r"(?:merge|be acquired|be bought)|(?:would|will) (?:merge|be acquired)|agreed to (?:merge|be acquired)|"
                          r"(?:jointly |publicly )?announced (?:a |an |its |the )?(?:[A-Z][A-Za-z]*s )?(?:planned |proposed )?"
                          r"(?:merger|acquisition|tender offer))\b")
_OWNER_BEFORE = re.compile(r"(?:owner|founder|principal|sole|partner),? and $")  # his own firm: the owner and CEO of X
# Words that end a descriptor before a name: the name is someone's (his company X) or the object of an act (tipped X).
_DESCRIPTOR_STOP = re.compile(r"\b(?!to acquire )(?:his|her|their|its|who|which|that|to|(?<!merge )(?<!merged )(?<!merging )"
                              r"(?<!combine )(?<!combined )with|and (?:often|also|then)|(?<!-)(?!acquired\b)[a-z]+ed)\s+"
                              r"(?:[a-z][a-z-]* ){0,5}$")
_PARTY_LEAD = re.compile(r"(?:charged|charges|charging|against|sued|enjoin\w*|defendants?|respondents?|and) (?:the )?$", re.I)


# A place's abbreviation that ended a sentence the splitter could not cut (Washington, D.C. Instead, the complaint ...;
# Boston, Mass. Smith said ...): what follows is the next sentence
_NEXT_SENTENCE = re.compile(r"(?:^|(?<= ))(?:D\.C|Mass|Fla|Calif|Tex|Pa|Va|Ga|Ill|Ariz|Nev|Colo|Conn|Mich|Minn|Okla|Ore|Tenn|"
                            r"Wis|Md|Mo|Ala|Ky|La|Miss|Wash|N\.Y|N\.J)\. (?=[A-Z])")


def _in_title(run: str, title: str) -> bool:
    """Every name of the run (less legal suffixes and commas) is in the title: a party the release is about."""
    flat = title.replace(",", "")
    run = run.split("., ")[0].rstrip(".")  # (Sharon Nunamaker., The: the scrape glued the next sentence on)
    for piece in run.replace(",", "").split(" and "):
        words = piece.split()
        while len(words) > 1 and words[-1].lower().rstrip(".") in _LEGAL_SUFFIX:
            words.pop()
        if not words or " ".join(words) not in flat:
            return False
    return True


def _run_head(run: str) -> str:
    """What a later mention of the run's first name starts with: its first word if that is long enough (Longfin of
    Longfin Corp.), else the name less its legal suffix (4D Circle of 4D Circle LLC)."""
    head = run.split(" and ")[0].split(", ")[0]
    first = head.split(" ")[0]
    if len(first) >= 4:
        return first
    words = head.split(" ")
    while len(words) > 1 and words[-1].lower().rstrip(".,") in _LEGAL_SUFFIX:
        words.pop()
    return " ".join(words)


def _named_as_party(text: str, run: str, a: int, b: int) -> bool:
    """The run's first name also appears right after a charging word (`charged X`, `against X`): a party after all."""
    head = _run_head(run)
    i = text.find(head)
    while i >= 0:
        if _PARTY_LEAD.search(text, max(0, i - 20), i):
            return True
        i = text.find(head, i + 1)
    return False


# A party settling or ordered to pay, named in the list before the verb (Muroff, Blackhawk Manager and ISR Capital
# consented to entry of a final judgment)
_SETTLES_AFTER = re.compile(r"(?:,? (?:and )?[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,4})*,? (?:each |also |have |has |had )?"
                            r"(?:consented|agreed to (?:settle|pay|the entry)|admitted|(?:were|was) ordered|violated|"
                            r"(?:are|is|were|was) liable)\b")


def _settles(text: str, run: str) -> bool:
    """The run's first name (_run_head: Lionshare of Lionshare Ventures LLC) reappears in a list of parties who
    consented, agreed to settle, were ordered to pay or violated."""
    head = _run_head(run)
    i = text.find(head)
    while i >= 0:
        if _SETTLES_AFTER.match(text, i + len(head)):
            return True
        i = text.find(head, i + 1)
    return False


# A relief defendant: `relief defendant GCE Wealth, Inc.`, `names X, Y and Z as relief defendants`
_RELIEF_BEFORE = re.compile(r"[Rr]elief [Dd]efendants?,? (?:named |including |the |\()?$")
_RELIEF_AFTER = re.compile(r"(?:(?!\bwith\b|\bagainst\b)[^;]){0,150}?(?:; (?=(?:and )?[A-Z])(?:(?!\bwith\b|\bagainst\b)[^;]){0,150}?)*"
                           r"\bas (?:a )?relief defendants?\b|,? (?:\([^)]{0,40}\) )?(?:a |were |was |are |is )?"
                           r"(?:named )?(?:as )?(?:a )?relief defendants?\b|"
                           # a list of names closed by an appositive (against Lisa M. Kaplan, the X Foundation Inc., and
                           # Y LLC, the relief defendants who): only names, commas, "and", "the" lie before the cue
                           r"(?:,? (?:and )?(?:the )?[A-Z0-9][\w.&'/-]*| (?:of|&|and)\b)*?,? the relief defendants\b")
_RELIEF_WORDS = re.compile(r"relief defendant")
_RELIEF_TITLE = re.compile(r"[Rr]elief [Dd]efendant|[Rr]ecipients? of (?:[Ii]llicit|[Ii]ll-[Gg]otten|[Ff]raudulent|[Ii]nvestor)")


def _relief_near(at: list[int], lo: int, hi: int) -> bool:
    """A "relief defendant" starts within _RELIEF_AFTER's reach of lo (and before hi)."""
    k = bisect_left(at, lo)
    return k < len(at) and at[k] < min(hi, lo + 320)


_LIST_GAP = re.compile(r",? (?:and )?(?:the )?")
_OWNED_GAP = re.compile(r"[,;]? (?:and )?(?:the )?")
_RENAMED = ("now known as ", "renamed ", "formerly known as ", "f/k/a ", "a/k/a ", "also known as ", "now called ")
_ALIAS_BEFORE = re.compile(r"\((?:also known as|a/k/a|aka|f/k/a|formerly known as|known as) $")
# A lone word after these and before these is a party named by surname: `charges Mustapha with violating`
_SOLE_LEAD = ("charges ", "charged ", "charging ", "enjoins ", "enjoined ", "enjoining ", "sued ", "suing ", "against ",
              "bars ", "barred ", "barring ", "orders ", "ordered ", "ordering ", "named ")
_CAMEL_FIRM = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+$")  # BitFunder, PlexCorps, AriseBank
_ENUM_BEFORE = re.compile(r"\((?:[ivx]{1,4}|[a-h]|[0-9]{1,2})\) $")
_SOLE_AFTER = re.compile(r" (?:with|from|to|for|and)\b|[,.;]|$")


_FIRM_TAIL = re.compile(r"(?: [A-Z][\w&'-]*){0,4},? " + _LEGAL_FORM)


def _full_firm(text: str, word: str) -> str | None:
    """The firm's full name a short form stands for (Blackbird → Blackbird Capital Partners, LLC), if the text has
    one."""
    i = text.find(word)
    while i >= 0:
        if (i == 0 or not text[i - 1].isalnum()) and (m := _FIRM_TAIL.match(text, i + len(word))):
            return (text[i:m.end()]).replace(",", "")
        i = text.find(word, i + 1)
    return None


def _known_word(word: str, found: dict[str, dict], skipped: list[str]) -> bool:
    """The word is part of a name already found or set aside (Blackbird of Blackbird Capital Partners, Chang of
    Alberto Chang-Rajii, Stratocomm of StratoComm Corporation): a short form, not another party."""
    low = word.lower()
    return any(low in re.split(r"[\s,.-]+", n.lower()) for n in [r["name"] for r in found.values()] + skipped)


# Job titles and departments that open a run before a person's name (Accounting Manager Laura Sanford, Director of
# Contract Fulfillment and Sales Operations Steven R. Sabin): never part of the name
_ROLE_SET = frozenset("Director Directors Manager Managing Portfolio Accounting Controller Treasurer Secretary Analyst "
                      "Representative Registered Operations Sales Marketing Fulfillment Contract Assistant Associate "
                      "Deputy Head Trader Broker Chief Senior Vice President Executive Officer Chairman General "
                      "Counsel Principal Financial Operating Compliance Investment Relationship Former CEO CFO COO CCO".split())
# of those, the words that make a run's opening a title (Portfolio Manager), not a firm's name (Portfolio Advisors)
_CORE_ROLE = frozenset("Director Directors Manager Officer President Chairman Controller Treasurer Secretary Analyst "
                       "Representative Counsel Operations Sales Fulfillment CEO CFO COO CCO Head Deputy Assistant".split())


def _is_role(word: str) -> bool:
    return word in _ROLE_SET or "/" in word and all(p in _ROLE_SET for p in word.split("/"))  # (CEO/President)


def _strip_roles(words: list[str]) -> list[str] | None:
    """The words after the leading job-title words, when at least two (a name) remain; None when the run is a title
    alone. Words that also open firms' names (Portfolio Advisors Alliance, Financial Management Strategies) are a
    title only beside a core title word (Portfolio Manager)."""
    k = 0
    while k < len(words) and _is_role(words[k]):
        k += 1
    if not any(p in _CORE_ROLE for w in words[:k] for p in w.split("/")):
        return words
    return words[k:] if len(words) - k >= 2 else None


def _bare_surname(word: str, stop: frozenset[str]) -> bool:
    """A capitalised word that can stand for a person by surname (Mustapha, Pinto-Thomaz): no acronym, stop word,
    plural or entity suffix."""
    low = word.lower()
    return len(word) >= 3 and all(
        p[:1].isupper() and (p[1:].islower() or p[:2] == "Mc" and p[2:3].isupper() and p[3:].islower())
        for p in word.split("-")) and low not in stop and low not in _PLURAL_END and low not in _ORG_END_BARE


def _possessive(text: str, name: str) -> bool:
    """The name less its final s also stands alone in the text (Oxford City, Oxford Citys): a possessive."""
    stem = name[:-1]
    i = text.find(stem)
    while i >= 0:
        j = i + len(stem)
        if j >= len(text) or not text[j].isalpha():
            return True
        i = text.find(stem, i + 1)
    return False


# One word and a legal suffix after " and ": the second half of a firm's name (Petrotech Oil and Gas Inc.)?
_WORD_SUFFIX = re.compile(r"([A-Z][a-z][A-Za-z-]*),? " + _LEGAL_FORM + r"(?:,|$)")


def _alone(text: str, word: str, skip: str) -> bool:
    """word occurs in text as a whole word somewhere other than inside `skip`."""
    i = text.find(word)
    while i >= 0:
        j = i + len(word)
        if (i == 0 or not text[i - 1].isalnum()) and (j == len(text) or not text[j].isalnum()):
            k = text.rfind(skip, max(0, i - len(skip)), j + len(skip))
            if not (0 <= k <= i and k + len(skip) >= j):
                return True
        i = text.find(word, j)
    return False


def _join_and_firms(text: str, pieces: list[str]) -> list[str]:
    """Glue "Boston Trading" + "Research, LLC" back into one firm: the piece after " and " is one word and a legal
    suffix, the piece before has no suffix, and neither half's word stands anywhere alone in the text (a person
    before "and", or a firm with its own name, is named again on its own: Smith agreed…, Acme's accounts)."""
    out = [pieces[0]]
    for p in pieces[1:]:
        m = _WORD_SUFFIX.match(p)
        left = out[-1].rsplit(", ", 1)[-1]
        lw = left.rsplit(" ", 1)[-1]
        if m and " " in left and lw[:1].isupper() and not any(
                w.lower().rstrip(".,") in _LEGAL_SUFFIX for w in left.split(" ")):
            joint = f"{lw} and {m.group(1)}"
            if not _alone(text, lw, joint) and not _alone(text, m.group(1), joint):
                out[-1] += " and " + p
                continue
        out.append(p)
    return out


def _split_list(part: str) -> list[str]:
    """A run holding a comma list of names (Jesenik, Oliver, Gillis) is cut at its commas, except before a
    suffix (Acme, Inc.; John Doe, Jr.; Benjamin Durant, III)."""
    if ", " not in part:
        return [part]
    pieces = part.split(", ")
    out = [pieces[0]]
    for p in pieces[1:]:
        if all(w.lower().rstrip(".,") in _ORG_END_BARE for w in p.split(" ")) or p.rstrip(".") in ("Jr", "Sr", "II", "III", "IV") \
                or p.startswith(("Jr", "Sr", "L.P", "LLC", "Inc", "Ltd")):
            out[-1] += ", " + p
        else:
            out.append(p)
    return out


# A party named by the title: FINAL NOTICE: X, AWC: X, In the Matter of X (, Rel. …)
_EN_TITLE_PARTY = re.compile(r"^(?:final notice|decision notice|awc|letter of acceptance, waiver and consent)\b[^:]*:\s*"
                             r"(?:to:\s*)?(?P<a>.+?)\s*$|^in the matter of\s+(?P<b>.+?)(?:,?\s+rel\..*)?$", re.I)
_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|miss|dr)\.?\s+", re.I)


def _name_key(name: str) -> str:
    """Names that differ only in case, spaces and punctuation are one party (Acme, Inc. = Acme Inc.)."""
    return name.translate(_KEY_DROP).lower()


_KEY_DROP = str.maketrans("", "", " \t\n\r\x0b\x0c\u00a0.,")


def _title_parties(title: str) -> list[dict]:
    m = _EN_TITLE_PARTY.match(title.strip())
    if not m:
        return []
    out = []
    for raw in re.split(r",? and |; ", m.group("a") or m.group("b") or ""):
        name = _HONORIFIC.sub("", raw.strip(" ,;"))
        if not name or len(name) > 80 or name.lower().startswith(("no.", "no ")) or any(c.isdigit() for c in name):
            continue
        words = name.split()
        kind = "institution" if words[-1].lower().rstrip(".") in _ORG_END_BARE or words[-1].upper() == "PLC" else (
            "individual" if 2 <= len(words) <= 4 else None)
        if kind:
            out.append({"name": name, "type": kind})
    return out


def respondents_en(title: str, text: str, sentences: list[tuple[int, int]]) -> list[dict]:
    """Named parties: those a notice's title names (FINAL NOTICE: X, AWC: X, In the Matter of X), then those in
    the opening charging/judgment sentences (persons and entities), staff and judges left out."""
    found: dict[str, dict] = {_name_key(p["name"]): p for p in _title_parties(title)}
    skipped: list[str] = []  # companies named as an employer or a traded stock: their short forms are no persons
    stop = _STOP
    # the opening: six sentences, or more (up to twelve) until about 1,200 characters are covered
    n = min(6, len(sentences))
    while n < len(sentences) and n < 12 and sentences[n - 1][1] - sentences[0][0] < 1200:
        n += 1
    opening = sentences[:n]
    # past the opening, only a sentence that charges or names defendants (`The complaint charges Peters, VisionQuest
    # Wealth Management, LLC, … with violations`; `also named as relief defendants`) adds parties
    later: list[tuple[int, int]] = []
    if n < len(sentences):
        starts = [a for a, _ in sentences]
        for lm in _LATER_CHARGE.finditer(text, sentences[n][0]):
            i = bisect_right(starts, lm.start()) - 1  # the sentence the cue lies in (sentences are disjoint)
            if lm.end() <= sentences[i][1] and (not later or later[-1] != sentences[i]):
                later.append(sentences[i])
    read = opening + later
    dismissals, residents = "dismiss" in text, "resident" in text  # (gates for the regexes below)
    owned_at: list[int] | None = None  # where _OWNED_KEYS occur, found on first need
    owned_end = -1  # where the last owned vehicle's run ended
    # (a title about the relief defendants, or naming one, keeps them: "... Against Promoter and Recipients of Illicit
    # Proceeds", "Final Judgment against Ascenergy LLC, Joseph Gabaldon, and Alanah Energy, LLC")
    relief = ("elief defendant" in text or "elief Defendant" in text) and not _RELIEF_TITLE.search(title)
    relief_end = -1  # where the last relief defendant's run ended
    relief_runs: list[str] = []
    relief_at = [k.start() for k in _RELIEF_WORDS.finditer(text)] if relief else []
    lead_kw: tuple[list[int], list[int]] | None = None  # where _TARGET_LEAD's keywords occur, found on first need
    for (a, b), (charge, staff) in zip(read, _ctx_flags(text, read)):
        if not charge:
            continue
        if staff >= 0:  # names after a staff credit are the staff's (`… is being conducted by Jane Roe`); a title
            if text.startswith(("Co-Chief", "Chief of"), staff):  # names the official before it (said X, Co-Chief)
                continue
            b = staff
        charging = None  # does the sentence charge (_LATER_CHARGE)? asked at most once
        judge = text.find("Judge", a, b) >= 0 or text.find("Honorable", a, b) >= 0 or text.find("Magistrate", a, b) >= 0
        for m in _CAP_RUN.finditer(text, a, b):
          run = m.group()
          if ". " in run and (cut := _NEXT_SENTENCE.search(run)):
              run = run[:cut.end() - 1]  # (Washington, D.C. Instead, the complaint ...: the next sentence's opener)
          if " " not in run and run not in ("Jr", "Sr"):
              # one word is a name only as the object of a charging verb (charges Mustapha with, enjoins Hallas
              # from): the full name the release gave elsewhere, else the surname as the release uses it
              if not text.endswith(_SOLE_LEAD, a, m.start()) and not (
                      text.startswith(" with ", m.end()) and _ENUM_BEFORE.search(text, max(a, m.start() - 7), m.start())):
                  continue  # (… (iii) Walton with violations of: an item of the charging list)
              word = run.rstrip(".")
              if _SOLE_AFTER.match(text, m.start() + len(word)) and not _known_word(word, found, skipped):
                  if _bare_surname(word, stop):
                      full, kind = _full_name(text, word), "individual"
                      if full is None and (firm := _full_firm(text, word)):
                          full, kind = firm, "institution"
                      found.setdefault(_name_key(full or word), {"name": full or word, "type": kind})
                  elif _CAMEL_FIRM.match(word):  # a one-word firm (charges BitFunder with): its full name if given
                      full = _full_firm(text, word) or word
                      found.setdefault(_name_key(full), {"name": full, "type": "institution"})
              continue
          if text.find("(", max(a, m.start() - 30), m.start()) >= 0 and \
                  _ALIAS_BEFORE.search(text, max(a, m.start() - 30), m.start()) or \
                  text.endswith(_RENAMED, a, m.start()):
              continue  # (also known as Richard M. Carter): another name of a party named before
          if text.startswith(" for ", m.start() - 5) and text[text.rfind(" ", a, m.start() - 5) + 1].isupper():
              continue  # the tail of a longer name (the Centers for Medicare and Medicaid Services)
          if relief and (relief_end >= a and _LIST_GAP.fullmatch(text, relief_end, m.start()) or
                         run.startswith(("Relief Defendant", "Relief defendant")) or
                         _RELIEF_BEFORE.search(text, max(a, m.start() - 30), m.start()) or
                         _relief_near(relief_at, m.end(), b) and (ra := _RELIEF_AFTER.match(text, m.end(), b)) is not None and
                         # (… Arrambide of Sandy, Utah, and relief defendants Uninvest: the cue is the next names')
                         (" as " in ra.group() or not run.endswith((" and", " &")))) and not _in_title(run, title):
              skipped.append(run)  # a relief defendant holds money, charged with nothing: no party (unless the
              relief_runs.append(run)
              relief_end = m.end()  # release is about the relief defendants, as its title then says); so are the
              continue  # names listed right after one (Relief Defendants Lisa M. Kaplan, the X Foundation Inc., and Y)
          if judge and (text[max(a, m.start() - 10): m.start()].endswith(("Judge ", "Honorable ")) or any(
                  w in _JUDGE_WORDS for w in run.split())):
              continue  # the judge who entered the judgment
          role = _ROLE_OF.search(run) if " of " in run or " at " in run or " for " in run else None
          pre = ""
          if role:  # a title inside the run (Chief Executive Officer of Arista Power, Inc.): an employer follows,
              # unless the title is the owner's (the owner and Managing Director of X: his own firm)
              owner = _OWNER_BEFORE.search(text, max(a, m.start() + role.start() - 24), m.start() + role.start())
              pre, run = run[:role.start()].rstrip(", "), run[role.end():]
              if owner:
                  role = None
                  if pre:
                      run, pre = pre + ", " + run, ""
          if dismissals and _DISMISSED_LEAD.search(text, max(a, m.start() - 70), m.start()):
              continue
          if residents and _RESIDENT_AFTER.match(text, m.end()):  # the run ends with a place (… and Arizona residents)
              run = run[:max(run.rfind(" and "), 0)]
              if not run:
                  continue
          if owned_at is None:
              owned_at = _owned_keys(text)
          k = bisect_left(owned_at, max(a, m.start() - 70))
          if (owned_end >= a and _OWNED_GAP.fullmatch(text, owned_end, m.start()) or  # (its own "and" is no charge)
                  k < len(owned_at) and owned_at[k] < m.start() and
                  _OWNED_LEAD.search(text, max(a, m.start() - 70), m.start()) and not _named_as_party(text, run, a, b)) \
                  and not _settles(text, run):
              skipped.append(run)  # his company X, a fund called X, formed X: the vehicle, a party only if charged;
              owned_end = m.end()  # so are the vehicles listed after it (funds he owned: A, LLC; B, LLC; and C, LLC)
              continue
          stock_after = _STOCK_AFTER.match(text, m.end()) if run[run.rfind(" ") + 1:][:1].isupper() else None
          if role or stock_after or text.startswith(("of ", "by ", "in ", "at "), m.start() - 3) or \
                  text.startswith("for ", m.start() - 4) or text.startswith(("target, ", "acquire ", "between "), m.start() - 8) \
                  or text.startswith("acquiring ", m.start() - 10) or \
                  text.find(" of ", max(a, m.start() - 60), m.start()) >= 0 or \
                  text.find(" with ", max(a, m.start() - 40), m.start()) >= 0 or \
                  text.find(" by ", max(a, m.start() - 60), m.start()) >= 0:  # (merge with privately-held X; acquired by)
              tl = role or stock_after
              if not tl:
                  if lead_kw is None:
                      lead_kw = _lead_keywords(text)
                  lo, starts, ends = max(a, m.start() - 90), lead_kw[0], lead_kw[1]
                  k = bisect_left(starts, lo)  # a keyword wholly inside the window, or _TARGET_LEAD cannot match
                  while k < len(starts) and starts[k] < m.start() and ends[k] > m.start():
                      k += 1
                  if k < len(starts) and starts[k] < m.start():
                      tl = _TARGET_LEAD.search(text, lo, m.start())
              if tl and (role or stock_after or not _DESCRIPTOR_STOP.search(tl.group())) and \
                      not _named_as_party(text, run, a, b):
                  # the company whose stock was traded or acquired (shares of X, acquisition of X), or an employer;
                  # a name after it and a comma stays (a director of InterOil Corporation, Kurt J. Bordian received)
                  first, _, others = run.partition(" and ")
                  rest = _split_list(first.rstrip(","))
                  # (after an employer, a name joined by "and" stays too: Officer of Fannie Mae, and Thomas A. Lund;
                  # after a traded company it is another one: a merger of Harleysville Group, Inc. and Nationwide…)
                  rest += [others] if role and others[:1].isupper() else []
                  # more firms in the list are more of the same (shares of A, Inc., B, Inc., and C, Inc.)
                  firms = [rest[0]] + [p for p in rest[1:] if _entity_name(p)]
                  skipped.extend(firms)
                  run = ", ".join(p for p in rest[1:] if p not in firms)
          if pre:
              run = pre + ", " + run if run else pre
          if not run:
              continue
          if run.endswith((" and", " &")):  # (Sedona Oil and Gas Corporation and its president: the list goes on)
              run = run[:run.rfind(" ")]
          pieces = _AND_CAP.split(run) if " and " in run else [run]
          if len(pieces) > 1:
              pieces = _join_and_firms(text, pieces)
          if text.startswith(("of ", "in "), m.start() - 3) and _PLACE_LEAD.search(text, max(a, m.start() - 24), m.start()) \
                  and pieces[0].split(", ")[0].rsplit(" ", 1)[-1].lower().rstrip(".,") not in _LEGAL_SUFFIX:
              # a place ("a resident of West Hempstead, and John Doe"; no firm: "respectively, of 4D Circle LLC"):
              # its piece (up to its ", and") goes
              head = pieces[0].split(", ")
              pieces = pieces[1:] if len(head) <= 2 else [", ".join(head[2:])] + pieces[1:]  # (City, State)
              if not pieces:
                  continue
          if "-" in run or ", " in run:
              pieces = [p for piece in pieces for p in _split_list(_after_based(piece))]
          if ", " not in run and text.startswith(" in ", m.start() - 4) and \
                  not any(_entity_name(p.removesuffix(" and").removesuffix(" &")) for p in pieces):
              continue  # places (traded from addresses in Beijing and Palo Alto): people are not "in" a name
          for part in pieces:
            if part.startswith("of "):
                continue  # "Woodbridge Group of Companies LLC, of Sherman Oaks, California": a place
            words = _name_words(part)
            if not words:
                continue
            if len(words) == 1 and len(pieces) > 1 and (charging if charging is not None else (
                    charging := _LATER_CHARGE.search(text, a, b) is not None)):
                # a list of surnames in a charging sentence (charges Pinto-Thomaz, Oujaddou, and Millul): each stands
                # for the full name the release gave earlier
                word = words[0].rstrip(".,")
                full = _full_name(text, word)
                if full is None:  # no full name anywhere: the surname as the release uses it, when the list is the
                    # object of a charging verb (charges Munakash, Rodriguez and Winters with violating)
                    if not _bare_surname(word, stop) or _known_word(word, found, skipped) or \
                            any(" " in p.strip() for p in pieces) or \
                            not text.endswith(_SOLE_LEAD, a, m.start()) or \
                            not _SOLE_AFTER.match(text, m.end()):
                        continue
                    firm = _full_firm(text, word)
                    found.setdefault(_name_key(firm or word), {"name": firm or word,
                                                               "type": "institution" if firm else "individual"})
                    continue
                words = full.split()
            for k in range(len(words) - 1):  # "Wolf Hedge LLC. Malik": a sentence ended after the suffix
                if words[k][-1] == "." and words[k].lower().rstrip(".") in _ORG_END_BARE and \
                        words[k + 1].lower().rstrip(".") not in _ORG_END_BARE and words[k + 1] not in ("L.P.", "L.L.C.") \
                        and words[k + 1] not in _PARTICLES:  # (S.A.B. de C.V.)
                    words = words[:k + 1]
                    break
            if words[-1][-1] == "s" and _ORG_POSSESSIVE.match(words[-1]):
                words[-1] = words[-1][:-1]  # "Mainstream Entertainment Inc.s": the company's, apostrophe lost
            if words[-1].endswith(".") and words[-1].lower() not in _ORG_END and (
                    len(words[-1]) > 3 or len(words[-1]) == 3 and words[-1] not in ("Jr.", "Sr.")):  # (not H.)
                words[-1] = words[-1][:-1]
            name = " ".join(words)
            if name[-1] == "s" and _possessive(text, name):
                continue  # "Oxford Citys assets": the scrape dropped the apostrophe of Oxford City's
            if ("s " in part or "s," in part) and any(len(w) > 3 and w[-1] == "s" and w[-2] != "s" and _possessive(text, " ".join(words[:k + 1])) and
                   any(x.lower().rstrip(".,") not in _ORG_END_BARE for x in words[k + 1:])
                   for k, w in enumerate(words[:-1])):
                continue  # "headed Och-Ziffs European office": a possessive inside the run names a thing of X's
            if words[-1].lower().rstrip(".") in _ORG_END_BARE and len(words) >= 2 and name not in ("Fair Fund", "Fair Funds"):
                key = _name_key(name)
                if any(w.lower().rstrip(".,") not in _ORG_END_BARE for w in words) and \
                        not any((sk := _name_key(_after_based(x))).endswith(key) or sk.startswith(key) for x in skipped) and \
                        not any(r["name"].startswith(name + " ") for r in found.values()):  # (PAC-3 Film Fund LLC
                    found.setdefault(key, {"name": name, "type": "institution"})  # then its short form PAC-3 Film Fund)
            elif _is_role(words[0]) and (words := _strip_roles(words)) is None:
                continue  # a title alone (Managing Director, Portfolio Manager)
            elif (name := " ".join(words)) and \
                    2 <= len(words) <= 4 and words[-1].lower() not in _PLURAL_END and not _DIGIT.search(name) and \
                    not (len(words) == 2 and words[0] in _PLACE_OPENERS) and \
                    not any(w.lower().rstrip(".") in stop and not _INITIAL.match(w) for w in words) and \
                    not any(name in r["name"] for r in found.values()) and not any(name in x for x in skipped) or name in ("Jr", "Sr"):
                found.setdefault(_name_key(name), {"name": name, "type": "individual"})
        if len(found) >= 12:
            break
    if relief_runs:  # a firm named by its short form among the relief defendants (names the Blackstone Group, Afcon and
        # Debra Davis as relief defendants), in full elsewhere (the Blackstone Group, Inc. and Afcon Communications, Inc.)
        short = {p.strip() for r in relief_runs for q in r.split(", ") for p in q.split(" and ") if p.strip()}
        for key in [k for k, r in found.items() if r["type"] == "institution" and not _in_title(r["name"], title) and
                    any(r["name"] == p or r["name"].startswith(p + " ") for p in short)]:
            del found[key]
    return list(found.values())
