//! The installed app: the binary a Linux package put on this machine, named by
//! `EHRAZ_INSTALLED_APP` (`tests/installers/run` installs the `.deb` and passes
//! `/usr/bin/ehraz`), started in Xvfb through `tauri-driver` against a real
//! `ehraz-server` on loopback and driven one step: the first screen in Persian and right
//! to left, the sejam flow chosen, a mobile number given, the server's one-time code sent
//! to it and the next step shown. The app gets a temporary home and XDG folders and no
//! `EHRAZ_DATA_DIR`, so it writes nothing in the real ones and keeps its data where the
//! shipped app's identifier puts it (`org.ehraz.app`), never the test build's.
//!
//! Ignored by a plain `cargo test`; fails when `EHRAZ_INSTALLED_APP` is not set or is not
//! an executable file. Needs what the end-to-end test needs.

mod demo;
mod files;
mod journeys;
mod webdriver;
mod xvfb;

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use files::files_under;
use journeys::{MOBILE, Media, Rig, type_and_continue};
use rand::Rng;

/// The shipped app's identifier (`tauri.conf.json`); the test build's adds `.test`.
const IDENTIFIER: &str = "org.ehraz.app";

/// The installed binary `EHRAZ_INSTALLED_APP` names.
fn installed_app() -> PathBuf {
    let Some(path) = std::env::var_os("EHRAZ_INSTALLED_APP").filter(|p| !p.is_empty()) else {
        panic!("EHRAZ_INSTALLED_APP must name the installed app's binary, e.g. /usr/bin/ehraz");
    };
    let path = PathBuf::from(path);
    let metadata = std::fs::metadata(&path)
        .unwrap_or_else(|e| panic!("EHRAZ_INSTALLED_APP={}: {e}", path.display()));
    assert!(
        metadata.is_file() && metadata.permissions().mode() & 0o111 != 0,
        "EHRAZ_INSTALLED_APP={} is not an executable file",
        path.display()
    );
    path
}

/// A temporary home folder, removed when dropped, whether the test passed or not.
struct TemporaryHome(PathBuf);

impl Drop for TemporaryHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs an installed package (EHRAZ_INSTALLED_APP); tests/installers/run installs one and runs this"]
async fn installed_package_app_driven_one_step() {
    let application = installed_app();
    let temporary_home = TemporaryHome(std::env::temp_dir().join(format!(
        "ehraz-installed-home-{}",
        rand::rng().random::<u64>()
    )));
    let home = &temporary_home.0;
    let data_home = home.join(".local/share");
    let folders = [
        ("HOME", home.clone()),
        ("XDG_DATA_HOME", data_home.clone()),
        ("XDG_CONFIG_HOME", home.join(".config")),
        ("XDG_CACHE_HOME", home.join(".cache")),
        ("XDG_STATE_HOME", home.join(".local/state")),
    ];
    for (_, dir) in &folders {
        std::fs::create_dir_all(dir).expect("the temporary home");
    }
    let mut env: Vec<(&str, OsString)> = folders
        .iter()
        .map(|(name, dir)| (*name, dir.clone().into_os_string()))
        .collect();
    // Empty is unset for the app: it keeps its data in its own data folder.
    env.push(("EHRAZ_DATA_DIR", OsString::new()));
    let media = Media::make(&std::env::temp_dir().join("ehraz-e2e-media"), 640, 480, 4);
    let rig = Rig::start(application, media, (1280, 800), &env).await;

    let app = rig.open_app().await;
    journeys::the_page_is_persian(&app).await;
    journeys::click(&app, ".flow-list li:first-child .flow-card").await;
    rig.at_step(&app, "mobile").await;
    type_and_continue(&app, &[("mobile", MOBILE)]).await;
    rig.at_step(&app, "mobile-code").await;
    let code = rig.code_sent(&app, MOBILE, None).await;
    assert!(
        (4..=6).contains(&code.len()),
        "a one-time code reached the server's SMS provider: {code}"
    );
    app.quit().await;

    let own = data_home.join(IDENTIFIER);
    let written = files_under(&own);
    assert!(
        !written.is_empty(),
        "the app kept its journey under its own identifier's folder {}",
        own.display()
    );
    let test_build = data_home.join(format!("{IDENTIFIER}.test"));
    assert!(
        !test_build.exists(),
        "the installed app is the shipped one, not the test build ({} exists)",
        test_build.display()
    );
    rig.stop().await;
}
