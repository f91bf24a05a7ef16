//! `vitrine build` as the README runs it (in the site folder, default
//! flags): how the new site takes the place of the old one, what stopped
//! builds leave behind, links out of the site, mount points and full disks.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `vitrine build` in the site folder, with its own cache.
fn build_in(site: &Path, cache: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .arg("build")
        .current_dir(site)
        .env("NO_COLOR", "1")
        .env("VITRINE_CACHE_DIR", cache)
        .output()
        .unwrap()
}

/// The names vitrine's own folders have beside (or inside) an output.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".vitrine-") || n.starts_with(".vitrine-"))
        .collect();
    v.sort();
    v
}

/// Waits (up to a minute) until the detached removal of old trees is done.
fn wait_for_no_leftovers(dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !leftovers(dir).is_empty() {
        assert!(Instant::now() < deadline, "left behind: {:?}", leftovers(dir));
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_second_build_replaces_the_first_and_leaves_nothing_beside_it() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let first = build_in(site.path(), cache.path());
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(stdout.contains("into output"), "{stdout}");
    fs::write(site.path().join("output/.nojekyll"), "").unwrap();
    let before = common::tree(&site.path().join("output"));
    let second = build_in(site.path(), cache.path());
    assert!(second.status.success());
    assert_eq!(common::tree(&site.path().join("output")), before, "a second build gives the same site");
    wait_for_no_leftovers(site.path());
}

#[cfg(unix)]
#[test]
fn leftovers_of_killed_builds_are_cleared_by_the_next_one() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    assert!(build_in(site.path(), cache.path()).status.success());
    // what builds killed with SIGKILL leave: a half staging folder, an old output
    let dead = 4_194_305;
    for tag in ["new", "old", "trash"] {
        let dir = site.path().join(format!(".output.vitrine-{tag}-{dead}"));
        fs::create_dir_all(dir.join("nl")).unwrap();
        fs::write(dir.join("nl/index.html"), "half").unwrap();
    }
    assert!(build_in(site.path(), cache.path()).status.success());
    wait_for_no_leftovers(site.path());
    assert!(fs::read_to_string(site.path().join("output/nl/index.html")).unwrap().contains("<html"));
}

#[cfg(unix)]
#[test]
fn an_output_orphaned_between_two_renames_comes_back() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    assert!(build_in(site.path(), cache.path()).status.success());
    let output = site.path().join("output");
    let kept = common::tree(&output);
    // a build killed after moving the output away and before moving the
    // new one in; this build then fails, and must not leave the site gone
    fs::rename(&output, site.path().join(".output.vitrine-old-4194305")).unwrap();
    let file = site.path().join("content/cases/centrum-huiselijk-geweld/index.nl.md");
    let good = fs::read_to_string(&file).unwrap();
    fs::write(&file, good.replacen("title:", "titel:", 1)).unwrap();
    let failed = build_in(site.path(), cache.path());
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(common::tree(&output), kept, "the previous output is back in place");
}

#[cfg(unix)]
#[test]
fn a_build_stopped_with_sigterm_or_ctrl_c_removes_its_staging_folder() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    // enough cases that the build takes a while
    let src = site.path().join("content/cases/veiliger-thuis-midden-brabant");
    for i in 0..300 {
        let to = site.path().join(format!("content/cases/kopie-{i}"));
        fs::create_dir(&to).unwrap();
        for file in ["index.nl.md", "hero.svg"] {
            fs::copy(src.join(file), to.join(file)).unwrap();
        }
    }
    assert!(build_in(site.path(), cache.path()).status.success());
    let kept = common::tree(&site.path().join("output"));
    for signal in ["TERM", "INT", "HUP"] {
        let fresh = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .arg("build")
            .current_dir(site.path())
            .env("VITRINE_CACHE_DIR", fresh.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let staging = site.path().join(format!(".output.vitrine-new-{}", child.id()));
        let deadline = Instant::now() + Duration::from_secs(60);
        // the build is writing: its staging folder holds a first file
        while fs::read_dir(&staging).map_or(true, |mut d| d.next().is_none()) {
            assert!(Instant::now() < deadline, "no staging folder with a file appeared");
            std::thread::sleep(Duration::from_millis(5));
        }
        Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status().unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "SIG{signal}: {status:?}");
        wait_for_no_leftovers(site.path());
        assert_eq!(common::tree(&site.path().join("output")), kept, "SIG{signal} changed the output");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_reader_never_finds_the_output_missing_during_a_swap() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    assert!(build_in(site.path(), cache.path()).status.success());
    let page = site.path().join("output/index.html");
    let done = Arc::new(AtomicBool::new(false));
    let (missing, reads) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let reader = {
        let (done, missing, reads) = (done.clone(), missing.clone(), reads.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if fs::read(&page).is_err() {
                    missing.fetch_add(1, Ordering::Relaxed);
                }
                reads.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    for round in 0..20 {
        let before = reads.load(Ordering::Relaxed);
        assert!(build_in(site.path(), cache.path()).status.success());
        // the reader read while this build swapped (whatever the machine's speed)
        let deadline = Instant::now() + Duration::from_secs(10);
        while reads.load(Ordering::Relaxed) == before {
            assert!(Instant::now() < deadline, "round {round}: the reader never read");
            std::thread::yield_now();
        }
    }
    done.store(true, Ordering::Relaxed);
    reader.join().unwrap();
    assert_eq!(missing.load(Ordering::Relaxed), 0, "output/index.html was missing during a swap");
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_never_copied() {
    let site = common::example_copy();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("passwd.txt"), "root:x:0:0").unwrap();
    fs::create_dir(outside.path().join("map")).unwrap();
    fs::write(outside.path().join("map/notes.txt"), "intern").unwrap();
    let folder = site.path().join("content/cases/centrum-huiselijk-geweld");
    std::os::unix::fs::symlink(outside.path().join("passwd.txt"), folder.join("passwd.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("map"), folder.join("map")).unwrap();
    std::os::unix::fs::symlink("index.nl.md", folder.join("bron.md")).unwrap();
    common::link_files(site.path(), "content/cases/centrum-huiselijk-geweld/index.nl.md", &["bron.md"]);
    let cache = tempfile::tempdir().unwrap();
    let out = build_in(site.path(), cache.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    let case_out = site.path().join("output/nl/cases/centrum-huiselijk-geweld");
    assert!(!case_out.join("passwd.txt").exists() && !case_out.join("map").exists());
    assert!(case_out.join("bron.md").exists(), "a link inside the site is copied");
    for link in ["passwd.txt", "map"] {
        let at =
            format!("content/cases/centrum-huiselijk-geweld/{link}:1:1: warning: this symbolic link leads outside");
        assert!(printed.contains(&at), "{link}: {printed}");
    }
    let check = common::vitrine(&["check"], site.path());
    assert!(String::from_utf8_lossy(&check.stderr).contains("passwd.txt:1:1: warning: this symbolic link"));
}

/// A tmpfs mounted for a test, unmounted when dropped; `None` where this
/// process may not mount (not root, or in a container that forbids it).
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(at: &Path, size: &str) -> Option<Mount> {
        fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            // CI runs as root and sets it: there, a mount that fails is a failure
            assert!(
                std::env::var_os("VITRINE_NEED_MOUNT").is_none(),
                "cannot mount a tmpfs, and VITRINE_NEED_MOUNT is set"
            );
            eprintln!("cannot mount a tmpfs here: this test checks nothing (VITRINE_NEED_MOUNT=1 makes it fail)");
        }
        ok.then(|| Mount(at.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_output_folder_that_is_a_mount_point_is_built() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let Some(_mount) = Mount::tmpfs(&site.path().join("output"), "64m") else { return };
    fs::write(site.path().join("output/.gitkeep"), "").unwrap();
    fs::write(site.path().join("output/stale.html"), "old").unwrap();
    for round in 0..2 {
        let out = build_in(site.path(), cache.path());
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains("is a mount point"), "{stdout}");
    }
    let output = site.path().join("output");
    assert!(output.join(".gitkeep").exists() && !output.join("stale.html").exists());
    assert!(fs::read_to_string(output.join("nl/index.html")).unwrap().contains("<html"));
    wait_for_no_leftovers(&output);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_one_error_with_the_space_left() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let disk = tempfile::tempdir().unwrap();
    let Some(_mount) = Mount::tmpfs(disk.path(), "200k") else { return };
    let out = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["build", "--output"])
        .arg(disk.path().join("site"))
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .env("VITRINE_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("output files, this one first: No space left on device"), "{stderr}");
    assert!(stderr.contains("MB free on that disk"), "{stderr}");
    assert!(!stderr.contains(".vitrine-new"), "the staging folder is named: {stderr}");
    assert!(
        leftovers(disk.path()).is_empty() || {
            wait_for_no_leftovers(disk.path());
            true
        }
    );
}

#[cfg(unix)]
#[test]
fn a_second_build_links_what_did_not_change_and_makes_what_did() {
    use std::os::unix::fs::MetadataExt;
    let site = common::example_copy();
    let root = site.path();
    let cache = tempfile::tempdir().unwrap();
    assert!(build_in(root, cache.path()).status.success());
    let out = root.join("output");
    let inode = |rel: &str| fs::metadata(out.join(rel)).unwrap().ino();
    let read = |rel: &str| fs::read_to_string(out.join(rel)).unwrap();
    let (home, bavel, breda) =
        ("nl/index.html", "nl/cases/gebiedsvisie-bavel/index.html", "nl/cases/tuinzigtlaan-breda/index.html");
    let home_before = inode(home);
    // a sentence at the end of one case; another case's page edited by hand in the output
    let case = root.join("content/cases/gebiedsvisie-bavel/index.nl.md");
    fs::write(&case, fs::read_to_string(&case).unwrap() + "\nNog een zin, net geschreven.\n").unwrap();
    fs::write(out.join(breda), "met de hand").unwrap();
    let bavel_before = inode(bavel);
    assert!(build_in(root, cache.path()).status.success());
    assert_eq!(inode(home), home_before, "the unchanged home is the file the first build made, linked");
    assert_ne!(inode(bavel), bavel_before, "the changed case's page is made again");
    assert!(read(bavel).contains("Nog een zin, net geschreven."));
    assert!(read(breda).contains("<html"), "a page edited in the output is made again: {}", read(breda));
    let clean = tempfile::tempdir().unwrap();
    assert!(common::build(root, &clean.path().join("site")).summary.is_some());
    let relative = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        common::tree(dir).into_iter().map(|(p, bytes)| (p.strip_prefix(dir).unwrap().to_path_buf(), bytes)).collect()
    };
    assert!(relative(&out) == relative(&clean.path().join("site")), "not the same site as a clean build");
    // a message changes every page: none is linked
    let messages = root.join("i18n/nl.ftl");
    fs::write(
        &messages,
        fs::read_to_string(&messages).unwrap().replacen("facts-heading = ", "facts-heading = Alle ", 1),
    )
    .unwrap();
    let home_before = inode(home);
    assert!(build_in(root, cache.path()).status.success());
    assert_ne!(inode(home), home_before, "a message changed: the home is made again");
    assert!(read(bavel).contains("Alle "), "{}", read(bavel));
    wait_for_no_leftovers(root);
}
