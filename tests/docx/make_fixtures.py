#!/usr/bin/env python3
"""Writes the Word fixtures of tests/suite/docx.rs into tests/fixtures/docx.

Each fixture is made with python-docx as an editor's Word would save it;
what python-docx cannot write (list definitions with Chinese formats and
restarts, tracked changes) is written as WordprocessingML into the parts
python-docx made. Beside each NAME.docx the script writes NAME.expected:
the text Word shows, numbers included, which policyc must read. For a
document with tracked changes, NAME.rejected is the text before them.

    bash tests/docx/setup.sh && python3 tests/docx/make_fixtures.py [NAME...]

With names, only those fixtures are written (python-docx stamps the zip
entries with the time, so regenerating one changes its bytes alone). The
.docx files are committed, so `cargo test` does not need Python.
"""
import datetime
import copy
import os
import sys

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "docx")
W = nsdecls("w")
AUTHOR = 'w:author="审核人" w:date="2024-03-01T09:00:00Z"'


def lvl(ilvl, fmt, text, start=1, restart=None, suff="nothing", legal=False):
    restart_xml = f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else ""
    legal_xml = "<w:isLgl/>" if legal else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'{restart_xml}{legal_xml}<w:suff w:val="{suff}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/></w:lvl>'
    )


def add_list(document, abstract_id, levels, nums):
    """Adds an abstractNum with `levels` and a num for each (numId, overrides)."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {W} w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="multilevel"/>'
        + "".join(levels)
        + "</w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    for num_id, overrides in nums:
        xml = f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
        for ilvl, start in overrides:
            xml += f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        numbering.append(parse_xml(xml + "</w:num>"))


def numbered(document, text, num_id, ilvl, style=None):
    paragraph = document.add_paragraph(text, style=style)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def save(document, name, expected, rejected=None, title=None):
    if title is None:
        document.core_properties.title = name
    document.save(os.path.join(OUT, f"{name}.docx"))
    with open(os.path.join(OUT, f"{name}.expected"), "w", encoding="utf-8") as f:
        f.write(expected)
    if rejected is not None:
        with open(os.path.join(OUT, f"{name}.rejected"), "w", encoding="utf-8") as f:
            f.write(rejected)


POLICY_LEVELS = [
    lvl(0, "chineseCounting", "%1、"),
    lvl(1, "chineseCountingThousand", "（%2）"),
    lvl(2, "decimal", "%3.", suff="tab"),
    lvl(3, "decimal", "（%4）"),
    lvl(4, "decimalEnclosedCircle", "%5"),
]


def chinese_numbering():
    """Five policy levels in Word's Chinese formats; eleven parts, so 十、十一、."""
    d = Document()
    add_list(d, 10, POLICY_LEVELS, [(10, [])])
    d.add_paragraph("关于促进知识产权服务业发展的若干措施", style="Title")
    d.add_paragraph("为促进知识产权服务业高质量发展，制定以下措施。")
    lines = ["关于促进知识产权服务业发展的若干措施", "为促进知识产权服务业高质量发展，制定以下措施。"]
    parts = ["总体要求", "培育服务主体", "提升服务能力", "拓展服务领域", "加强人才培养", "优化发展环境",
             "强化金融支持", "深化对外合作", "加强行业自律", "完善统计监测", "加强组织保障"]
    markers = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    for k, (part, marker) in enumerate(zip(parts, markers)):
        numbered(d, part, 10, 0)
        lines.append(f"{marker}、{part}")
        if k == 1:
            numbered(d, "支持服务机构做大做强。鼓励机构开展品牌建设。", 10, 1)
            lines.append("（一）支持服务机构做大做强。鼓励机构开展品牌建设。")
            numbered(d, "培育一批品牌机构。", 10, 2)
            lines.append("1.培育一批品牌机构。")
            numbered(d, "开展分级评价。", 10, 3)
            lines.append("（1）开展分级评价。")
            numbered(d, "评价标准公开。", 10, 4)
            lines.append("①评价标准公开。")
            numbered(d, "评价结果公示。", 10, 4)
            lines.append("②评价结果公示。")
            numbered(d, "支持专业化发展。", 10, 2)
            lines.append("2.支持专业化发展。")
            numbered(d, "引进高端服务机构。", 10, 1)
            lines.append("（二）引进高端服务机构。")
        if k == 2:
            for n in range(1, 12):
                numbered(d, f"第{n}项能力建设任务。", 10, 1)
                cn = markers[n - 1]
                lines.append(f"（{cn}）第{n}项能力建设任务。")
    d.add_paragraph("本措施自印发之日起施行。")
    lines.append("本措施自印发之日起施行。")
    save(d, "numbering-chinese", "\n".join(lines) + "\n")


def restarting_lists():
    """A second list restarted by a start override, a third level that only
    the first level restarts (lvlRestart), a level numbered through a
    paragraph style, and the ideographTraditional format."""
    d = Document()
    levels = [
        lvl(0, "chineseCounting", "%1、"),
        lvl(1, "chineseCounting", "（%2）"),
        lvl(2, "decimal", "%3.", restart=1),
    ]
    add_list(d, 20, levels, [(20, []), (21, [(0, 1)])])
    add_list(d, 22, [lvl(0, "ideographTraditional", "%1．")], [(22, [])])
    # A paragraph style that numbers its paragraphs at the first level of
    # list 20, as 标题 1 styles in government templates do.
    styles = d.styles.element
    styles.append(parse_xml(
        f'<w:style {W} w:type="paragraph" w:customStyle="1" w:styleId="yijibiaoti">'
        f'<w:name w:val="一级标题"/><w:basedOn w:val="Normal"/>'
        f'<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="20"/></w:numPr></w:pPr></w:style>'))
    d.add_paragraph("关于开展专利转化专项行动的实施方案")
    lines = ["关于开展专利转化专项行动的实施方案"]
    d.add_paragraph("工作目标", style="一级标题")
    lines.append("一、工作目标")
    numbered(d, "目标一。", 20, 1)
    lines.append("（一）目标一。")
    numbered(d, "指标甲。", 20, 2)
    lines.append("1.指标甲。")
    numbered(d, "目标二。", 20, 1)
    lines.append("（二）目标二。")
    # lvlRestart 1: the second level does not restart the third.
    numbered(d, "指标乙。", 20, 2)
    lines.append("2.指标乙。")
    d.add_paragraph("重点任务", style="一级标题")
    lines.append("二、重点任务")
    numbered(d, "指标丙。", 20, 2)
    lines.append("1.指标丙。")
    d.add_paragraph("附：分工")
    lines.append("附：分工")
    for k, name in enumerate(["省知识产权局", "省财政厅", "省科技厅"]):
        numbered(d, name, 22, 0)
        lines.append("甲乙丙"[k] + "．" + name)
    # numId 21 shares list 20 but restarts it at 一.
    numbered(d, "另行部署", 21, 0)
    lines.append("一、另行部署")
    numbered(d, "继续推进", 20, 0)
    lines.append("二、继续推进")
    save(d, "restarting-lists", "\n".join(lines) + "\n")


def tracked_changes():
    """Insertions, deletions, a move and a deleted paragraph mark."""
    d = Document()
    add_list(d, 30, POLICY_LEVELS, [(30, [])])
    d.add_paragraph("知识产权保护工作要点")
    numbered(d, "总体要求", 30, 0)
    p = numbered(d, "", 30, 1)
    p._p.append(parse_xml(f'<w:r {W}><w:t>到</w:t></w:r>'))
    p._p.append(parse_xml(f'<w:del {W} w:id="1" {AUTHOR}><w:r><w:delText>2024</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {W} w:id="2" {AUTHOR}><w:r><w:t>2025</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:r {W}><w:t xml:space="preserve">年，保护体系基本建成。</w:t></w:r>'))
    # A paragraph inserted whole: its mark is inserted too.
    p = numbered(d, "", 30, 1)
    p._p.get_or_add_pPr().append(parse_xml(f'<w:rPr {W}><w:ins w:id="3" {AUTHOR}/></w:rPr>'))
    p._p.append(parse_xml(f'<w:ins {W} w:id="4" {AUTHOR}><w:r><w:t>新增要求。</w:t></w:r></w:ins>'))
    numbered(d, "重点任务", 30, 0)
    # Moved: from the first task to after the second.
    p = numbered(d, "", 30, 1)
    p._p.append(parse_xml(f'<w:moveFrom {W} w:id="5" {AUTHOR}><w:r><w:t>加强宣传。</w:t></w:r></w:moveFrom>'))
    p._p.append(parse_xml(f'<w:r {W}><w:t>强化执法。</w:t></w:r>'))
    p = numbered(d, "完善机制。", 30, 1)
    p._p.append(parse_xml(f'<w:moveTo {W} w:id="6" {AUTHOR}><w:r><w:t>加强宣传。</w:t></w:r></w:moveTo>'))
    # A paragraph deleted whole, mark included: the next one takes its place.
    p = numbered(d, "", 30, 1)
    p._p.get_or_add_pPr().append(parse_xml(f'<w:rPr {W}><w:del w:id="7" {AUTHOR}/></w:rPr>'))
    p._p.append(parse_xml(f'<w:del {W} w:id="8" {AUTHOR}><w:r><w:delText>取消的任务。</w:delText></w:r></w:del>'))
    numbered(d, "开展督查。", 30, 1)
    accepted = ["知识产权保护工作要点", "一、总体要求", "（一）到2025年，保护体系基本建成。", "（二）新增要求。",
                "二、重点任务", "（一）强化执法。", "（二）完善机制。加强宣传。", "（三）开展督查。"]
    rejected = ["知识产权保护工作要点", "一、总体要求", "（一）到2024年，保护体系基本建成。",
                "二、重点任务", "（一）加强宣传。强化执法。", "（二）完善机制。", "（三）取消的任务。", "（四）开展督查。"]
    save(d, "tracked-changes", "\n".join(accepted) + "\n", "\n".join(rejected) + "\n")


def table_and_fields():
    """A table of tasks (its first row Word's header row, a `|` in a cell), a
    line break, a field's shown text, a page break."""
    d = Document()
    d.add_paragraph("重点任务分工方案")
    d.add_paragraph("一、任务分工")
    table = d.add_table(rows=3, cols=3)
    rows = [("序号", "任务", "责任单位"), ("1", "建设保护中心", "省知识产权局"), ("2", "完善快速维权|调解", "省市场监管局、省公安厅")]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {W}/>'))
    p = d.add_paragraph("二、工作要求")
    p = d.add_paragraph("各单位按季度报送进展，")
    p.add_run().add_break()
    p.add_run("第")
    p._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>'))
    p._p.append(parse_xml(f'<w:r {W}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'))
    p._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>'))
    p._p.append(parse_xml(f'<w:r {W}><w:t>2</w:t></w:r>'))
    p._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'))
    p.add_run("页为报送表。")
    lines = ["重点任务分工方案", "一、任务分工", "| 序号 | 任务 | 责任单位 |", "| --- | --- | --- |",
             "| 1 | 建设保护中心 | 省知识产权局 |", "| 2 | 完善快速维权\\|调解 | 省市场监管局、省公安厅 |", "二、工作要求",
             "各单位按季度报送进展，", "第2页为报送表。"]
    save(d, "table-and-fields", "\n".join(lines) + "\n")


def core_properties():
    """A notice with its 字号, signature and date, whose properties an
    editor's Word filled: the 标题 (the notice's title with its 字号),
    author, last editor, dates, keywords and, in app.xml, the company."""
    d = Document()
    lines = [
        "川知发〔2024〕5号",
        "四川省知识产权局关于印发《专利转化运用专项行动实施方案》的通知",
        "各市（州）知识产权局：",
        "现将《专利转化运用专项行动实施方案》印发给你们，请认真贯彻执行。",
        "四川省知识产权局",
        "2024年3月1日",
        "专利转化运用专项行动实施方案",
        "一、工作目标",
        "到2025年，专利转化运用成效明显。",
        "二、重点任务",
        "（一）梳理盘活存量专利。",
        "（二）培育高价值专利。",
    ]
    for line in lines:
        d.add_paragraph(line)
    props = d.core_properties
    props.title = "四川省知识产权局关于印发《专利转化运用专项行动实施方案》的通知（川知发〔2024〕5号）"
    props.author = "张明"
    props.last_modified_by = "李华"
    props.keywords = "专利转化"
    props.subject = ""
    props.comments = ""
    props.created = datetime.datetime(2024, 2, 20, 8, 30)
    props.modified = datetime.datetime(2024, 3, 1, 16, 5)
    app = d.part.package.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties")
    app._blob = app.blob.replace(b"<Company/>", "<Company>四川省知识产权局</Company>".encode())
    save(d, "core-properties", "\n".join(lines) + "\n", title=props.title)


FIXTURES = {
    "numbering-chinese": chinese_numbering,
    "restarting-lists": restarting_lists,
    "tracked-changes": tracked_changes,
    "table-and-fields": table_and_fields,
    "core-properties": core_properties,
}

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    names = sys.argv[1:] or list(FIXTURES)
    unknown = [n for n in names if n not in FIXTURES]
    if unknown:
        sys.exit(f"unknown fixture(s): {', '.join(unknown)}; known: {', '.join(FIXTURES)}")
    for name in names:
        FIXTURES[name]()
    print(f"wrote the fixtures into {os.path.normpath(OUT)}", file=sys.stderr)
