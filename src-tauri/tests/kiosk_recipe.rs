//! The Linux kiosk recipe of `docs/kiosk.md`, as far as a machine without a seat or a
//! running systemd can take it: the unit in `packaging/kiosk/` passes `systemd-analyze
//! verify`; the session script, run as the unit runs it (its user, its environment),
//! starts the real app under cage — here on cage's headless backend — as the unprivileged
//! `ehraz-kiosk` user, in kiosk mode, to its first screen; a killed app makes the session
//! fail (so systemd restarts it), an app that exits 0 (the operator's PIN) ends it
//! cleanly; and cage refuses to run as root.
//!
//! Ignored by a plain `cargo test`: it must run as root (to create the user and switch to
//! it) and needs `cage` and `xwayland` (Debian packages) and `systemd-analyze`.
//! `scripts/test` installs them and runs it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;

const USER: &str = "ehraz-kiosk";
const PIN: &str = "246813";

fn packaging() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../packaging/kiosk")
}

/// The environment the unit gives its process (its `Environment=` lines).
fn unit_environment(unit: &str) -> Vec<(String, String)> {
    unit.lines()
        .filter_map(|l| l.strip_prefix("Environment="))
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn unit_value<'a>(unit: &'a str, key: &str) -> &'a str {
    unit.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("the unit sets {key}"))
}

/// Runs `program` as the kiosk user with only the unit's environment (installed paths
/// moved under `dir`), plus what cage needs to run without a seat here.
fn as_kiosk_user(dir: &Path, runtime: &Path, unit: &str, program: &[&str]) -> Command {
    let mut command = Command::new("runuser");
    command.args(["-u", USER, "--", "env", "-i"]);
    command.arg("PATH=/usr/local/bin:/usr/bin:/bin");
    command.arg(format!("HOME={}", dir.join("home").display()));
    command.arg(format!("XDG_RUNTIME_DIR={}", runtime.display()));
    for (key, value) in unit_environment(unit) {
        let value = value.replace("/etc/ehraz", &dir.display().to_string());
        command.arg(format!("{key}={value}"));
    }
    // cage's headless backend and software rendering: no seat, no GPU here.
    command.args([
        "WLR_BACKENDS=headless",
        "WLR_RENDERER=pixman",
        "WLR_LIBINPUT_NO_DEVICES=1",
        "EHRAZ_REPORT_READY=1",
        "EHRAZ_OS_KEY_STORE=false",
    ]);
    command.args(program);
    command
}

fn ensure_user() -> bool {
    if Command::new("id")
        .arg(USER)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        return false;
    }
    let made = Command::new("useradd")
        .args([
            "--system",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            USER,
        ])
        .status()
        .expect("useradd runs");
    assert!(made.success(), "the kiosk user could not be made");
    true
}

/// The pid of the process named `name` whose parent chain leads to `root`.
fn descendant(root: u32, name: &str) -> Option<u32> {
    let mut stack = vec![root];
    while let Some(pid) = stack.pop() {
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        for child in children.split_whitespace().filter_map(|c| c.parse().ok()) {
            if std::fs::read_to_string(format!("/proc/{child}/comm"))
                .is_ok_and(|c| c.trim() == name)
            {
                return Some(child);
            }
            stack.push(child);
        }
    }
    None
}

fn uid_of(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .expect("the process's status")
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().next())
        .expect("its uid")
        .to_owned()
}

fn id_of(user: &str) -> String {
    let out = Command::new("id")
        .args(["-u", user])
        .output()
        .expect("id runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
#[ignore = "needs root, cage, xwayland and systemd-analyze; scripts/test runs it"]
fn the_linux_kiosk_recipe_runs_the_app_under_cage_as_its_own_user() {
    let me = Command::new("id").arg("-u").output().expect("id runs");
    assert_eq!(
        String::from_utf8_lossy(&me.stdout).trim(),
        "0",
        "the recipe's test makes a user and switches to it: run it as root"
    );
    let unit = std::fs::read_to_string(packaging().join("ehraz-kiosk.service")).expect("the unit");
    assert_eq!(unit_value(&unit, "User"), USER);
    assert_eq!(unit_value(&unit, "Restart"), "on-failure");
    assert_eq!(
        unit_value(&unit, "ExecStart"),
        "/usr/lib/ehraz/ehraz-kiosk-session /usr/bin/ehraz"
    );

    let made_user = ensure_user();
    let dir = std::env::temp_dir().join(format!(
        "ehraz-kiosk-recipe-{}",
        rand::rng().random::<u64>()
    ));
    let runtime = dir.join("run");
    for d in [&dir, &dir.join("home"), &runtime] {
        std::fs::create_dir_all(d).expect("a folder");
    }
    let chown = |path: &Path, mode: &str| {
        let ok = Command::new("chown")
            .arg(USER)
            .arg(path)
            .status()
            .expect("chown");
        let ok2 = Command::new("chmod")
            .arg(mode)
            .arg(path)
            .status()
            .expect("chmod");
        assert!(ok.success() && ok2.success());
    };
    chown(&dir.join("home"), "700");
    chown(&runtime, "700");
    Command::new("chmod")
        .arg("755")
        .arg(&dir)
        .status()
        .expect("chmod");

    // The installed files, as the package and the recipe put them (under `dir` here):
    // the app, the session script, and root's settings with the PIN's hash.
    let app = dir.join("ehraz");
    std::fs::copy(env!("CARGO_BIN_EXE_ehraz"), &app).expect("the app in place");
    let session = dir.join("ehraz-kiosk-session");
    std::fs::copy(packaging().join("ehraz-kiosk-session"), &session).expect("the script");
    let hash = Command::new(&app)
        .arg("kiosk-pin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(format!("{PIN}\n").as_bytes())?;
            child.wait_with_output()
        })
        .expect("ehraz kiosk-pin");
    let settings = format!(
        "backend_url = \"http://127.0.0.1:9/\"\nkiosk = true\n{}",
        String::from_utf8_lossy(&hash.stdout)
    );
    std::fs::write(dir.join("kiosk.toml"), settings).expect("the settings");

    // systemd reads the unit without a complaint (paths moved to where the files are).
    let verified = dir.join("ehraz-kiosk.service");
    std::fs::write(
        &verified,
        unit.replace(
            "/usr/lib/ehraz/ehraz-kiosk-session",
            &session.display().to_string(),
        )
        .replace("/usr/bin/ehraz", &app.display().to_string()),
    )
    .expect("the unit copy");
    let verify = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&verified)
        .output()
        .expect("systemd-analyze runs");
    let complaints = String::from_utf8_lossy(&verify.stderr);
    assert!(
        verify.status.success() && complaints.trim().is_empty(),
        "systemd-analyze verify: {complaints}"
    );

    // The session as the unit runs it: the app reaches its first screen under cage, in
    // kiosk mode, as the kiosk's user.
    let mut child = as_kiosk_user(
        &dir,
        &runtime,
        &unit,
        &[&session.display().to_string(), &app.display().to_string()],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .expect("the session starts");
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let kept = std::sync::Arc::clone(&lines);
    let stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            kept.lock().expect("lines").push(line);
        }
    });
    let started = Instant::now();
    let ready = || {
        lines
            .lock()
            .expect("lines")
            .iter()
            .any(|l| l.contains("first screen ready"))
    };
    while !ready() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the app under cage never drew its first screen:\n{}",
            lines.lock().expect("lines").join("\n")
        );
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the session ended early"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!(
        "the app drew its first screen under cage after {:?}",
        started.elapsed()
    );
    let cage = descendant(child.id(), "cage").expect("cage runs");
    let app_pid = descendant(cage, "ehraz").expect("the app runs under cage");
    assert_eq!(uid_of(cage), id_of(USER), "cage runs as the kiosk user");
    assert_eq!(
        uid_of(app_pid),
        id_of(USER),
        "the app runs as the kiosk user"
    );
    let wayland = std::fs::read(format!("/proc/{app_pid}/environ")).expect("the app's environment");
    assert!(
        wayland
            .split(|&b| b == 0)
            .any(|kv| kv.starts_with(b"WAYLAND_DISPLAY=")),
        "the app is a Wayland client of cage"
    );

    // Killed (or crashed), the app takes the session down with a failure: systemd's
    // `Restart=on-failure` starts it again.
    let killed = Command::new("kill")
        .args(["-KILL", &app_pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("the session ends");
    let _ = reader.join();
    eprintln!("the session after the app was killed: {status}");
    assert_eq!(
        status.code(),
        Some(137),
        "the killed app's status, not cage's 0"
    );

    // The operator's PIN ends the app with 0: the session ends cleanly, and the unit is
    // not restarted. (Any other status is passed on as it is.)
    for (app_status, expected) in [("0", 0), ("3", 3)] {
        let status = as_kiosk_user(
            &dir,
            &runtime,
            &unit,
            &[
                &session.display().to_string(),
                "/bin/sh",
                "-c",
                &format!("exit {app_status}"),
            ],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the session runs");
        assert_eq!(
            status.code(),
            Some(expected),
            "an app that exits {app_status}"
        );
    }

    // cage refuses to run as root.
    let as_root = Command::new(&session)
        .arg("/bin/true")
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("WLR_BACKENDS", "headless")
        .env("WLR_RENDERER", "pixman")
        .output()
        .expect("the session runs");
    assert!(!as_root.status.success(), "cage ran as root");
    assert!(
        String::from_utf8_lossy(&as_root.stderr).contains("refusing to start"),
        "{}",
        String::from_utf8_lossy(&as_root.stderr)
    );

    let _ = std::fs::remove_dir_all(&dir);
    if made_user {
        let _ = Command::new("userdel").arg(USER).status();
    }
}
