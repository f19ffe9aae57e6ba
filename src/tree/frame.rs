//! The document frame (GB/T 9704-2012 section 7) around the numbered body:
//! metadata, the transmittal notice, preamble and closing, signature, and the
//! debris that came with the text. Also the per-clause annotations (owners,
//! targets) that the frame stage lifts out of clause text.

use serde::{Deserialize, Serialize};

use super::Span;

/// What the JSON/YAML contract calls `meta`: the facts an index or a search
/// engine wants, already normalized.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Meta {
    /// The policy's own title (not the notice's), on one line.
    pub title: Option<String>,
    /// 发文字号, from the notice when there is one.
    pub doc_number: Option<String>,
    /// 成文日期 as YYYY-MM-DD: the notice's when there is one, else the policy's.
    pub date: Option<String>,
    /// （征求意见稿） → `征求意见稿`, （试行） → `试行`…
    #[serde(default)]
    pub status: Option<String>,
    /// Issuing bodies, one per unit.
    #[serde(default)]
    pub issuers: Vec<String>,
    /// 主送机关, one per unit.
    #[serde(default)]
    pub addressees: Vec<String>,
    /// The attachment label the policy sits under (附件1), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<String>,
    /// The publication date of the web page the text was copied from
    /// (日期:2023年08月03日): a fact about the page, not the 成文日期.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_date: Option<String>,
    /// The notice's title (关于印发《…》的通知), when the policy came wrapped in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_title: Option<String>,
}

/// A piece of frame text with its place in the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub text: String,
    pub span: Span,
}

impl AsRef<str> for Paragraph {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

/// Everything outside the numbered body, kept with its spans.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Frame {
    /// The transmittal notice wrapping the policy, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Notice>,
    /// 附件1
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Paragraph>,
    /// The policy's title as written (its lines joined).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Paragraph>,
    /// （征求意见稿）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Paragraph>,
    /// 发文字号 of the policy itself, when it came without a notice, as
    /// printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<Paragraph>,
    /// 主送机关 of the policy itself (when it has its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressees: Option<Paragraph>,
    /// Paragraphs between the title and the first numbered clause.
    #[serde(default)]
    pub preamble: Vec<Paragraph>,
    /// Tables before the first numbered clause, placed among the preamble's
    /// paragraphs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preamble_tables: Vec<super::Table>,
    /// Paragraphs after the body that belong to the policy (施行/有效期…).
    #[serde(default)]
    pub closing: Vec<Paragraph>,
    /// Tables after the body, placed among the closing's paragraphs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closing_tables: Vec<super::Table>,
    /// The signature block, one paragraph per issuing unit.
    #[serde(default)]
    pub issuers: Vec<Paragraph>,
    /// 成文日期 as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Paragraph>,
    /// 抄送 / 印发 lines of the 版记.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imprint: Vec<Paragraph>,
    /// Lines that are not part of the document, kept so nothing is dropped
    /// silently; left out of the editions and reported.
    #[serde(default)]
    pub debris: Vec<Debris>,
    /// What the original file says about the document outside its text (a
    /// web page's meta tags, info table and attachment links; a Word
    /// document's properties and which side of its tracked changes was
    /// read), each with where it came from. Evidence only: the text decides
    /// the frame.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// One fact a converted source states about the document outside its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// What it is: `title`, `doc_number`, `date` (成文日期), `page_date`,
    /// `issuer`, `source`, `site`, `url`, `attachment`; from Word, `author`,
    /// `created`, `modified`, `company`, `changes` (`accepted` or
    /// `rejected`), …
    pub field: String,
    pub value: String,
    /// Where the file says it: `meta ArticleTitle`, `info table 成文日期`,
    /// `link`, `core dc:title`, `app Company`.
    pub from: String,
    /// The target of an attachment link, as the page writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The line of the original file that states it: of the page, or of a
    /// Word document's property part (`docProps/core.xml`); for tracked
    /// changes, the paragraph of the first.
    pub line: u32,
}

/// A transmittal notice (印发通知) and its own frame.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Notice {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Paragraph>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<Paragraph>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressees: Option<Paragraph>,
    #[serde(default)]
    pub text: Vec<Paragraph>,
    #[serde(default)]
    pub issuers: Vec<Paragraph>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Paragraph>,
    /// 附注 such as （联系人：…，联系电话：…）
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Paragraph>,
}

/// Why a line is debris.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DebrisKind {
    /// 当前位置:首页 > …
    Breadcrumb,
    /// 来源: / 日期: / 作者: / 发布于: lines of a web page
    PageMeta,
    /// 【字体:大 中 小】, 打印 / 关闭
    PageControls,
    /// • 适用地区:… bullet lists, ∥政策详情∥ and similar page furniture
    PageFurniture,
    /// 公网安备, ICP numbers, 版权所有 / Copyright, 脚注信息
    Footer,
    /// A lone `>` left from a quote block
    QuoteResidue,
    /// `[bookmark: _GoBack]` and other Word residue
    WordResidue,
    /// Zero-width and other invisible characters
    Invisible,
    /// The title printed a second time under a law collection's header
    /// block (`# 标题`, the history, then the title again as the text's
    /// first line).
    RepeatedTitle,
}

impl DebrisKind {
    pub fn describe(self) -> &'static str {
        match self {
            DebrisKind::Breadcrumb => "web page breadcrumb",
            DebrisKind::PageMeta => "web page metadata line",
            DebrisKind::PageControls => "web page controls",
            DebrisKind::PageFurniture => "web page furniture",
            DebrisKind::Footer => "web page footer",
            DebrisKind::QuoteResidue => "quote-block residue",
            DebrisKind::WordResidue => "Word residue",
            DebrisKind::Invisible => "invisible characters",
            DebrisKind::RepeatedTitle => "the title printed again",
        }
    }
}

/// A debris line or fragment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debris {
    pub kind: DebrisKind,
    pub text: String,
    pub span: Span,
}

/// A unit named responsible for a clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// One unit: 省市场监管局
    pub unit: String,
    /// The annotation's label when it has one: 牵头单位, 责任部门; `None` for (合作处负责).
    pub role: Option<String>,
    /// The whole annotation this unit was named in.
    pub span: Span,
}

/// A quantitative commitment: 年均增长10%, 总数达100家.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The phrase that states it.
    pub phrase: String,
    /// The number as written (10, 1-2, 50).
    pub value: String,
    /// What is counted (件, %, 家, 所, 个…).
    pub unit: Option<String>,
    pub span: Span,
}
