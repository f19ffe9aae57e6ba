//! `cargo bench --bench diff`: two revisions of a generated 5,000-clause
//! work plan (一、 → （一） → 1.; sections numbered continuously, items
//! restarting under each section), the new one with a section inserted at
//! the top of every part (so every later section number shifts) and items
//! deleted, reworded, moved, split and merged. Prints the time to
//! parse both, to align and classify them, and to render the change list,
//! at a quarter, half and full size, so that growth can be read off: the
//! alignment must stay near-linear in the number of clauses and in the
//! length of their text.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use policyc::diff::report::{self, Labels};
use policyc::parse::numeral;

const WORDS: [&str; 48] = [
    "知识产权",
    "服务机构",
    "高质量发展",
    "专利导航",
    "商标品牌",
    "地理标志",
    "转化运用",
    "公共服务",
    "创新主体",
    "重点产业",
    "协同机制",
    "数据平台",
    "人才培养",
    "行业自律",
    "信用监管",
    "金融支持",
    "质押融资",
    "海外维权",
    "标准体系",
    "试点示范",
    "园区建设",
    "评价体系",
    "运营中心",
    "交易平台",
    "中小企业",
    "高校院所",
    "科技成果",
    "营商环境",
    "执法协作",
    "纠纷调解",
    "宣传培训",
    "统计监测",
    "政策供给",
    "专项资金",
    "区域协作",
    "乡村振兴",
    "数字化",
    "集成电路",
    "生物医药",
    "先进制造",
    "绿色低碳",
    "国际合作",
    "风险防范",
    "质量提升",
    "分级培育",
    "规范管理",
    "信息共享",
    "服务网络",
];
const VERBS: [&str; 12] =
    ["加强", "推动", "完善", "健全", "支持", "鼓励", "引导", "深化", "探索", "提升", "构建", "落实"];

/// A deterministic pseudo-random sequence (an LCG: no dependency needed).
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn sentence(&mut self) -> String {
        let mut s = String::new();
        for i in 0..3 + self.next(4) {
            if i > 0 {
                s.push('，');
            }
            s.push_str(VERBS[self.next(VERBS.len())]);
            s.push_str(WORDS[self.next(WORDS.len())]);
            s.push_str(WORDS[self.next(WORDS.len())]);
        }
        s.push('。');
        s
    }

    fn clause(&mut self) -> String {
        (0..2 + self.next(3)).map(|_| self.sentence()).collect()
    }
}

/// A section: its title and its items.
type Section = (String, Vec<String>);

/// A plan: `parts` × `sections` × `items`, each item a few sentences.
struct Plan {
    parts: Vec<(String, Vec<Section>)>,
}

impl Plan {
    fn generate(parts: usize, sections: usize, items: usize, rng: &mut Rng) -> Plan {
        let parts = (0..parts)
            .map(|_| {
                let title = format!("{}{}", VERBS[rng.next(VERBS.len())], WORDS[rng.next(WORDS.len())]);
                let sections = (0..sections)
                    .map(|_| {
                        let title = rng.sentence();
                        (title, (0..items).map(|_| rng.clause()).collect())
                    })
                    .collect();
                (title, sections)
            })
            .collect();
        Plan { parts }
    }

    fn clauses(&self) -> usize {
        self.parts.iter().map(|(_, s)| 1 + s.iter().map(|(_, i)| 1 + i.len()).sum::<usize>()).sum()
    }

    /// The text: sections numbered continuously (as Sichuan's work points
    /// are), items restarting under each section (as Liaoning's do).
    fn text(&self) -> String {
        let mut out =
            String::from("关于印发某省知识产权工作要点的通知\n\n各有关单位：\n\n现将工作要点印发给你们。\n\n");
        let mut section_no = 0;
        for (p, (title, sections)) in self.parts.iter().enumerate() {
            let _ = writeln!(out, "{}、{title}", numeral::format(p as u32 + 1));
            for (title, items) in sections {
                section_no += 1;
                let _ = writeln!(out, "（{}）{title}", numeral::format(section_no));
                for (i, item) in items.iter().enumerate() {
                    let _ = writeln!(out, "{}.{item}", i + 1);
                }
            }
        }
        out
    }

    /// The next revision: a section inserted at the top of every part, every
    /// 97th item deleted, every 41st reworded, every 113th moved to the
    /// next part, every 151st split in two and every 173rd merged into the
    /// item before it.
    fn revise(&self, rng: &mut Rng) -> Plan {
        let mut parts = self.parts.clone();
        let mut n = 0;
        let mut carried: Vec<String> = Vec::new();
        for (_, sections) in parts.iter_mut() {
            let inserted = (rng.sentence(), (0..3).map(|_| rng.clause()).collect());
            // Items moved out of the previous part arrive at the top of this one.
            let arriving = std::mem::take(&mut carried);
            for (_, items) in sections.iter_mut() {
                let mut revised: Vec<String> = Vec::with_capacity(items.len());
                for item in items.drain(..) {
                    n += 1;
                    if n % 97 == 0 {
                        continue;
                    } else if n % 41 == 0 {
                        let reworded = item.replacen('，', "，进一步", 1);
                        revised.push(format!("{}，确保取得实效。", reworded.trim_end_matches('。')));
                    } else if n % 113 == 0 {
                        carried.push(item);
                    } else if n % 151 == 0 {
                        let cut = item.find('。').map_or(item.len(), |i| i + '。'.len_utf8());
                        let (a, b) = item.split_at(cut);
                        revised.push(a.to_owned());
                        if !b.is_empty() {
                            revised.push(b.to_owned());
                        }
                    } else if n % 173 == 0 && !revised.is_empty() {
                        if let Some(last) = revised.last_mut() {
                            last.push_str(&item);
                        }
                    } else {
                        revised.push(item);
                    }
                }
                *items = revised;
            }
            sections[0].1.splice(0..0, arriving);
            sections.insert(0, inserted);
        }
        Plan { parts }
    }
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    println!("policyc diff benchmark (median of 5 runs)");
    println!(
        "{:>8} {:>9} {:>9} {:>10} {:>10} {:>10}  changes",
        "clauses", "old KiB", "new KiB", "parse ms", "diff ms", "json ms"
    );
    for (parts, sections, items) in [(5, 10, 24), (10, 10, 24), (20, 10, 24)] {
        let mut rng = Rng(0x5eed);
        let old_plan = Plan::generate(parts, sections, items, &mut rng);
        let new_plan = old_plan.revise(&mut rng);
        let (old_text, new_text) = (old_plan.text(), new_plan.text());
        let (mut parse_runs, mut diff_runs, mut json_runs) = (Vec::new(), Vec::new(), Vec::new());
        let mut summary = String::new();
        for _ in 0..5 {
            let start = Instant::now();
            let old = policyc::parse::parse_str(&old_text).document;
            let new = policyc::parse::parse_str(&new_text).document;
            parse_runs.push(start.elapsed());
            let start = Instant::now();
            let diff = policyc::diff::diff(&old, &new);
            diff_runs.push(start.elapsed());
            let start = Instant::now();
            let json = report::json(&diff, Labels { old: "old", new: "new" }).expect("the change list serializes");
            json_runs.push(start.elapsed());
            std::hint::black_box(json);
            summary = format!("{:?}", diff.summary);
        }
        println!(
            "{:>8} {:>9} {:>9} {:>10.1} {:>10.1} {:>10.1}  {summary}",
            old_plan.clauses(),
            old_text.len() / 1024,
            new_text.len() / 1024,
            median(parse_runs).as_secs_f64() * 1e3,
            median(diff_runs).as_secs_f64() * 1e3,
            median(json_runs).as_secs_f64() * 1e3,
        );
    }
    // One clause of 200,000 characters with a few edits: the character diff
    // must not grow with the square of the length.
    let mut rng = Rng(7);
    let long: String = (0..2000).map(|_| rng.sentence()).collect::<String>();
    let edited = long.replacen("加强", "进一步加强", 3);
    let (old, new) = (format!("一、总则\n（一）{long}\n"), format!("一、总则\n（一）{edited}\n"));
    let (old, new) = (policyc::parse::parse_str(&old).document, policyc::parse::parse_str(&new).document);
    let runs: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(policyc::diff::diff(&old, &new));
            start.elapsed()
        })
        .collect();
    println!(
        "one clause of {} characters, 3 insertions: diff {:.1} ms",
        long.chars().count(),
        median(runs).as_secs_f64() * 1e3
    );
}
