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
    // The editions, the two site pages, the manifest and the owners store.
    assert_eq!(names.len(), 5 * 3 + 4, "{names:?}");
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
    // The manifest records which build of policyc made the outputs (a digest
    // of its code): a cache, not an edition, so it is not compared.
    let editions = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        tree_bytes(dir).into_iter().filter(|(name, _)| name != policyc::publish::MANIFEST).collect()
    };
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
    assert_eq!(result.status.code(), Some(1));
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
    assert_eq!(names.len(), 5 * 3 + 4, "{names:?}");
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
    assert!(stderr.contains("owners.txt would overwrite the site's own owners.html; rename the source"), "{stderr}");
    // The other sources are built, and owners.html is the site's page.
    assert!(out.join("sichuan-ip-work-points-2021.html").is_file());
    let page = fs::read_to_string(out.join("owners.html")).unwrap();
    assert!(page.contains("<h1>责任单位</h1>"), "{page}");
    assert!(!out.join("owners.yaml").exists());
}
