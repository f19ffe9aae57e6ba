//! `policyc build` and `policyc parse` through the binary: exit codes,
//! determinism, partial failure, cleanup, template overrides.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::*;

fn policyc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_policyc"))
}

fn copy_seeds(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    for slug in SEEDS {
        fs::copy(seed_path(slug), dir.join(format!("{slug}.txt"))).unwrap();
    }
}

fn tree_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn builds_every_seed_deterministically_on_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("policies");
    copy_seeds(&input);
    let mut trees = Vec::new();
    for jobs in ["1", "2", "4"] {
        let out = tmp.path().join(format!("out-{jobs}"));
        let status = policyc().args(["build", "-q", "-j", jobs]).arg(&input).arg("-o").arg(&out).status().unwrap();
        assert!(status.success());
        trees.push(tree_bytes(&out));
    }
    assert_eq!(trees[0], trees[1]);
    assert_eq!(trees[0], trees[2]);
    let names: Vec<_> = trees[0].iter().map(|(n, _)| n.as_str()).collect();
    // The editions and search shards, the two site pages, the manifest and the owners store.
    assert_eq!(names.len(), 5 * (policyc::publish::EDITIONS.len() + 1) + 4, "{names:?}");
    let index = String::from_utf8(trees[0].iter().find(|(n, _)| n == "index.html").unwrap().1.clone()).unwrap();
    for title in ["2021年四川省知识产权工作要点", "关于加快推进知识产权服务业高质量发展的若干措施"]
    {
        assert!(index.contains(title), "{title}");
    }
}

#[test]
fn the_committed_output_is_fresh() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let status = policyc().args(["build", "-q"]).arg(root().join("policies")).arg("-o").arg(&out).status().unwrap();
    assert!(status.success());
    // The manifest too: it depends only on the sources, the templates, the
    // format version and Cargo.lock, so a stale one is a stale build.
    let editions = tree_bytes;
    let fresh = editions(&out);
    let committed = editions(&root().join("output"));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&fresh), names(&committed), "run `cargo run --release -- build`");
    for ((name, new), (_, old)) in fresh.iter().zip(&committed) {
        assert!(new == old, "output/{name} is stale: run `cargo run --release -- build`");
    }
}

#[test]
fn one_broken_source_fails_alone_with_a_located_error() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("policies");
    fs::create_dir_all(&input).unwrap();
    fs::copy(seed_path("chongqing-ip-service-measures-draft"), input.join("good.txt")).unwrap();
    let (gbk, _, _) = encoding_rs::GB18030.encode("一、总则\n（一）适用范围。\n");
    fs::write(input.join("legacy.txt"), &gbk).unwrap();
    let out = tmp.path().join("out");
    let result = policyc().arg("build").arg(&input).arg("-o").arg(&out).output().unwrap();
    // A file that cannot be read as text is trouble (2) for every command.
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("legacy.txt:1:"), "{stderr}");
    assert!(stderr.contains("GB18030") && stderr.contains("iconv"), "{stderr}");
    assert!(out.join("good.html").is_file() && out.join("good.yaml").is_file() && out.join("good.md").is_file());
    assert!(!out.join("legacy.html").exists());
}

#[test]
fn outputs_of_removed_sources_go_and_foreign_files_stay() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("policies");
    copy_seeds(&input);
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("notes.html"), "mine").unwrap();
    assert!(policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(&out).status().unwrap().success());
    fs::remove_file(input.join("sichuan-ip-work-points-2021.txt")).unwrap();
    assert!(policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(&out).status().unwrap().success());
    assert!(!out.join("sichuan-ip-work-points-2021.html").exists());
    assert!(!out.join("sichuan-ip-work-points-2021.yaml").exists());
    assert!(out.join("sichuan-ip-service-measures-2023.html").exists());
    assert_eq!(fs::read_to_string(out.join("notes.html")).unwrap(), "mine");
    let leftovers: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temp files left behind");
}

#[test]
fn a_rewritten_output_keeps_its_permissions_and_an_unchanged_one_its_time() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("policies");
    copy_seeds(&input);
    // One build into a directory it creates, one into a directory that
    // exists but is empty: the same files, the same bytes.
    let (fresh, existing) = (tmp.path().join("fresh"), tmp.path().join("existing"));
    fs::create_dir_all(&existing).unwrap();
    for out in [&fresh, &existing] {
        assert!(policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(out).status().unwrap().success());
    }
    assert_eq!(tree_bytes(&fresh), tree_bytes(&existing));
    let edited = fresh.join("sichuan-ip-work-points-2021.html");
    let untouched = fresh.join("sichuan-ip-service-measures-2023.html");
    fs::set_permissions(&edited, fs::Permissions::from_mode(0o640)).unwrap();
    let untouched_time = fs::metadata(&untouched).unwrap().modified().unwrap();
    let source = input.join("sichuan-ip-work-points-2021.txt");
    let text = fs::read_to_string(&source).unwrap();
    fs::write(&source, text.replacen("知识产权", "知识產权", 1)).unwrap();
    assert!(policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(&fresh).status().unwrap().success());
    assert!(fs::read_to_string(&edited).unwrap().contains("知识產权"));
    assert_eq!(fs::metadata(&edited).unwrap().permissions().mode() & 0o777, 0o640);
    assert_eq!(fs::metadata(&untouched).unwrap().modified().unwrap(), untouched_time);
    let names: Vec<_> = tree_bytes(&fresh).into_iter().map(|(n, _)| n).collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    assert_eq!(names.len(), 5 * (policyc::publish::EDITIONS.len() + 1) + 4, "{names:?}");
}

#[test]
fn templates_can_be_overridden_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let templates = tmp.path().join("templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(templates.join("document.html"), "<p>{{ doc.meta.title }}|{{ nodes | length }}</p>\n").unwrap();
    let result = policyc()
        .args(["parse", "--to", "html", "--templates"])
        .arg(&templates)
        .arg(seed_path("chongqing-ip-service-measures-draft"))
        .output()
        .unwrap();
    assert!(result.status.success());
    assert_eq!(String::from_utf8_lossy(&result.stdout), "<p>关于加快推进知识产权服务业高质量发展的若干措施|4</p>\n");
}

#[test]
fn parse_prints_each_edition_and_fails_cleanly() {
    for to in ["yaml", "json", "md", "html"] {
        let result =
            policyc().args(["parse", "--to", to]).arg(seed_path("sichuan-ip-work-points-2021")).output().unwrap();
        assert!(result.status.success(), "{to}");
        assert!(String::from_utf8_lossy(&result.stdout).contains("2021年四川省知识产权工作要点"), "{to}");
    }
    let missing = policyc().args(["parse", "no-such-file.txt"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-file.txt"));
    let usage = policyc().args(["parse", "--to", "pdf", "x.txt"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty.txt");
    fs::write(&empty, "").unwrap();
    let result = policyc().arg("parse").arg(&empty).output().unwrap();
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("empty.txt:1:1") && stderr.contains("empty"), "{stderr}");
}

#[test]
fn diagnostics_come_in_slug_order_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("policies");
    copy_seeds(&input);
    // More sources than one batch of the build, each with its own warnings.
    let seed = fs::read_to_string(seed_path("guangzhou-ip-service-plan-2016")).unwrap();
    for i in 0..70 {
        fs::write(input.join(format!("copy-{i:02}.txt")), &seed).unwrap();
    }
    let stderr = |jobs: &str| {
        let out = tmp.path().join(format!("out-{jobs}"));
        let result = policyc().args(["build", "-j", jobs]).arg(&input).arg("-o").arg(&out).output().unwrap();
        assert!(result.status.success());
        let text = String::from_utf8(result.stderr).unwrap();
        // All but the summary line, which carries the time taken.
        let lines: Vec<&str> = text.lines().collect();
        lines[..lines.len() - 1].join("\n")
    };
    let one = stderr("1");
    assert_eq!(one, stderr("4"));
    let files: Vec<&str> = one
        .lines()
        .filter_map(|l| l.split("┌─ ").nth(1))
        .map(|l| l.rsplit_once('/').map_or(l, |(_, name)| name))
        .map(|name| name.split(':').next().unwrap())
        .collect();
    assert!(files.len() > 70, "{one}");
    assert!(files.windows(2).all(|w| w[0] <= w[1]), "not in slug order: {files:?}");
}

#[test]
fn a_source_may_not_take_the_name_of_a_site_page() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("policies");
    copy_seeds(&input);
    fs::copy(seed_path("sichuan-ip-work-points-2021"), input.join("owners.txt")).unwrap();
    let out = tmp.path().join("out");
    let result = policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(&out).output().unwrap();
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("owners.txt would overwrite the site's own owners.html\n  = help: rename the source"),
        "{stderr}"
    );
    // The other sources are built, and owners.html is the site's page.
    assert!(out.join("sichuan-ip-work-points-2021.html").is_file());
    let page = fs::read_to_string(out.join("owners.html")).unwrap();
    assert!(page.contains("<h1>责任单位</h1>"), "{page}");
    assert!(!out.join("owners.yaml").exists());
}

/// Every file under `dir`, with its bytes (links: their target), to show
/// that a refused or failed command changed nothing.
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let name = path.strip_prefix(dir).unwrap().display().to_string();
            if meta.file_type().is_symlink() {
                out.push((name, fs::read_link(&path).unwrap().display().to_string().into_bytes()));
            } else if meta.is_dir() {
                stack.push(path);
            } else {
                out.push((name, fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn issue14_an_output_directory_that_overlaps_the_sources_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("policies");
    copy_seeds(&input);
    // A Markdown source's edition has its name: building into the same
    // directory replaced the source with it.
    let markdown = "---\ntitle: 测试办法\n---\n\n# 测试办法\n\n<!-- 编者按：保留 -->\n\n一、总则\n\n（一）[链接](https://example.cn)。\n";
    fs::write(input.join("measures.md"), markdown).unwrap();
    std::os::unix::fs::symlink(&input, tmp.path().join("alias")).unwrap();
    let before = files_under(tmp.path());
    let cases: [(&Path, &str, &str); 5] = [
        (&input, "policies", "is the policies directory"),
        (&input, "policies/site", "lies inside the policies directory"),
        (&input, "policies/new/..", "is the policies directory"),
        (&input, ".", "contains the policies directory"),
        (&input, "alias", "is the policies directory"),
    ];
    for (source_dir, output, said) in cases {
        let result = policyc()
            .current_dir(tmp.path())
            .args(["build", "-q"])
            .arg(source_dir.file_name().unwrap())
            .args(["-o", output])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "-o {output}: {stderr}");
        assert!(stderr.contains(said) && stderr.contains("nothing was written"), "-o {output}: {stderr}");
        assert_eq!(files_under(tmp.path()), before, "-o {output} changed files");
    }
    // A source that links to a file in the output directory: an edition
    // of that name would replace it.
    fs::create_dir(tmp.path().join("output")).unwrap();
    fs::write(tmp.path().join("output/linked.md"), markdown).unwrap();
    std::os::unix::fs::symlink("../output/linked.md", input.join("linked.md")).unwrap();
    let before = files_under(tmp.path());
    let result = policyc().current_dir(tmp.path()).args(["build", "-q", "policies", "-o", "output"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("linked.md is a link into the output directory output"), "{stderr}");
    assert_eq!(files_under(tmp.path()), before);
    fs::remove_file(input.join("linked.md")).unwrap();
    // Apart, it builds, and the Markdown source is as it was.
    let result = policyc().current_dir(tmp.path()).args(["build", "-q", "policies", "-o", "output"]).output().unwrap();
    assert_eq!(result.status.code(), Some(0), "{}", String::from_utf8_lossy(&result.stderr));
    assert_eq!(fs::read_to_string(input.join("measures.md")).unwrap(), markdown);
}

#[test]
fn issue14_a_failed_source_keeps_its_last_good_edition_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("policies");
    copy_seeds(&input);
    let out = tmp.path().join("out");
    assert!(policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(&out).status().unwrap().success());
    let slug = "guangzhou-ip-service-plan-2016";
    let site = |name: &str| fs::read_to_string(out.join(name)).unwrap();
    let (page, index, owners) = (site(&format!("{slug}.html")), site("index.html"), site("owners.html"));
    assert!(index.contains(&format!("{slug}.html")) && owners.contains(&format!("{slug}.html")));
    let source = input.join(format!("{slug}.txt"));
    let good = fs::read(&source).unwrap();
    // Bad edits: text with an error (two first-level clauses with nothing
    // but their marker), bytes that are not UTF-8, and a source that cannot
    // be read at all (a dangling link).
    let with_errors = |source: &Path| {
        let text = String::from_utf8(good.clone()).unwrap();
        fs::write(source, format!("{text}\n一、\n一、\n")).unwrap();
    };
    let not_utf8 = |source: &Path| {
        let mut broken = good.clone();
        broken.extend_from_slice(b"\n\xff\xfe\xfd\n");
        fs::write(source, &broken).unwrap();
    };
    let unreadable = |source: &Path| {
        fs::remove_file(source).unwrap();
        std::os::unix::fs::symlink("moved-away.txt", source).unwrap();
    };
    type Edit<'a> = (&'a str, &'a dyn Fn(&Path), i32);
    let edits: [Edit; 3] = [("errors", &with_errors, 1), ("not UTF-8", &not_utf8, 2), ("unreadable", &unreadable, 2)];
    for (what, break_it, code) in edits {
        break_it(&source);
        let result = policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(&out).output().unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(code), "{what}: {stderr}");
        assert!(stderr.contains(&format!("{slug}.txt")), "{what}: {stderr}");
        assert_eq!(site(&format!("{slug}.html")), page, "{what}: the page stays");
        assert_eq!(site("index.html"), index, "{what}: the index keeps the document");
        assert_eq!(site("owners.html"), owners, "{what}: the owners page keeps its clauses");
    }
    // Fixed, it is built again; removed, it is gone everywhere.
    fs::remove_file(&source).unwrap();
    fs::write(&source, &good).unwrap();
    assert!(policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(&out).status().unwrap().success());
    assert_eq!(site("index.html"), index);
    fs::remove_file(&source).unwrap();
    assert!(policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(&out).status().unwrap().success());
    assert!(!out.join(format!("{slug}.html")).exists());
    assert!(!site("index.html").contains(&format!("{slug}.html")));
    assert!(!site("owners.html").contains(&format!("{slug}.html")));
}

#[test]
fn issue14_stale_temp_files_of_a_killed_build_are_removed_and_no_others() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("policies");
    copy_seeds(&input);
    let out = tmp.path().join("out");
    assert!(policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(&out).status().unwrap().success());
    // A process that has ended: its id names the temp files a `kill -9`
    // would have left.
    let mut gone = Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let stale = [format!("..policyc-owners.new.{dead}.0.tmp"), format!(".index.html.{dead}.7.tmp")];
    // Files that only look alike, and a temp file of a running writer (this
    // test's own process).
    let kept =
        [".notes.tmp".to_owned(), "draft.1.2.tmp".to_owned(), format!(".index.html.{}.0.tmp", std::process::id())];
    for name in stale.iter().chain(&kept) {
        fs::write(out.join(name), "x").unwrap();
    }
    assert!(policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(&out).status().unwrap().success());
    for name in &stale {
        assert!(!out.join(name).exists(), "{name} stays");
    }
    for name in &kept {
        assert!(out.join(name).exists(), "{name} was removed");
    }
}

#[test]
fn issue14_a_killed_build_leaves_nothing_the_next_one_keeps() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("policies");
    copy_seeds(&input);
    let seed = fs::read(seed_path("sichuan-ip-work-points-2021")).unwrap();
    for i in 0..150 {
        fs::write(input.join(format!("copy-{i:03}.txt")), &seed).unwrap();
    }
    let out = tmp.path().join("out");
    let mut child = policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(&out).spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let _ = child.kill();
    let _ = child.wait();
    assert!(policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(&out).status().unwrap().success());
    let temps: Vec<_> =
        tree_bytes(&out).into_iter().map(|(name, _)| name).filter(|name| name.ends_with(".tmp")).collect();
    assert!(temps.is_empty(), "{temps:?}");
}

#[test]
fn issue14_sources_of_one_name_fail_as_a_pair_and_the_rest_is_built() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("policies");
    copy_seeds(&input);
    let text = fs::read_to_string(seed_path("chongqing-ip-service-measures-draft")).unwrap();
    fs::write(input.join("twin.txt"), &text).unwrap();
    fs::write(input.join("twin.md"), &text).unwrap();
    let out = tmp.path().join("out");
    for _ in 0..2 {
        let result = policyc().args(["build", "-q"]).arg(&input).arg("-o").arg(&out).output().unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("twin.md") && stderr.contains("twin.txt") && stderr.contains("rename"), "{stderr}");
        assert!(out.join("sichuan-ip-work-points-2021.html").is_file());
        assert!(!out.join("twin.html").exists());
    }
}

#[test]
fn issue14_unreadable_sources_exit_2_and_errors_name_what_the_person_gave() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("policies");
    copy_seeds(&input);
    std::os::unix::fs::symlink("nowhere.txt", input.join("dangling.txt")).unwrap();
    let made = Command::new("mkfifo").arg(input.join("pipe.txt")).status().unwrap();
    assert!(made.success());
    let out = tmp.path().join("out");
    let run = crate::robustness::run_policyc(
        tmp.path(),
        &["build", "-q", input.to_str().unwrap(), "-o", out.to_str().unwrap()],
        &[],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("dangling.txt: there is no such file"), "{}", run.stderr);
    assert!(run.stderr.contains("pipe.txt: it is a named pipe (FIFO), not a regular file"), "{}", run.stderr);
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
    assert!(out.join("sichuan-ip-work-points-2021.html").is_file());
    // A directory nothing can be written into (even by root): the error
    // names it, not a file of policyc's own bookkeeping.
    if Path::new("/proc/self/fdinfo").is_dir() {
        let result = policyc().args(["build", "-q"]).arg(&input).args(["-o", "/proc/self/fdinfo"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("cannot write into the output directory /proc/self/fdinfo"), "{stderr}");
        assert!(!stderr.contains(".policyc-"), "{stderr}");
    }
}
