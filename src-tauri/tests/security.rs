//! What the page may do, checked on what the built app serves and grants: the
//! Content-Security-Policy header of every page in the embedded UI (after Tauri's
//! build-time and run-time additions), the capabilities (only our own commands, exactly
//! the ones registered, for our own pages only), and the rule that no page but the app's
//! own is ever loaded. The rules, not exact strings: a directive may gain a source the
//! rules allow (`mediastream:` for media) without a change here.

mod shell;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ehraz_app::navigation::own_page;
use serde_json::{Value, json};
use shell::{OWN_ORIGIN, Shell, temp_dir};
use tauri::Url;
use tauri::utils::config::DisabledCspModificationKind;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A policy as directive → sources.
fn parse_csp(header: &str) -> BTreeMap<String, Vec<String>> {
    let mut policy = BTreeMap::new();
    for directive in header.split(';') {
        let mut words = directive.split_whitespace();
        if let Some(name) = words.next() {
            let sources = words.map(str::to_owned).collect();
            let previous = policy.insert(name.to_ascii_lowercase(), sources);
            assert!(previous.is_none(), "directive {name} given twice: {header}");
        }
    }
    policy
}

/// The sources a directive ends up with: its own, else `default-src`'s.
fn effective<'a>(policy: &'a BTreeMap<String, Vec<String>>, directive: &str) -> &'a [String] {
    policy
        .get(directive)
        .or_else(|| policy.get("default-src"))
        .map_or(&[], Vec::as_slice)
}

/// A source that allows only the app's own files, or one exact inline block.
fn self_nonce_or_hash(source: &str) -> bool {
    source == "'self'"
        || source == "'none'"
        || (source.starts_with("'nonce-") && source.ends_with('\''))
        || ["'sha256-", "'sha384-", "'sha512-"]
            .iter()
            .any(|p| source.starts_with(p) && source.ends_with('\''))
}

/// Checks the policy against the rules; returns what breaks them.
fn csp_faults(policy: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut faults = Vec::new();
    for directive in [
        "script-src",
        "script-src-elem",
        "script-src-attr",
        "worker-src",
    ] {
        for source in effective(policy, directive) {
            if !self_nonce_or_hash(source) {
                faults.push(format!("{directive} allows {source}"));
            }
        }
    }
    // No inline style either: Svelte's component styles are extracted to a CSS file by
    // the build, and the UI sets no style attribute (layout is classes and a canvas).
    for directive in ["style-src", "style-src-elem", "style-src-attr"] {
        for source in effective(policy, directive) {
            if !self_nonce_or_hash(source) {
                faults.push(format!("{directive} allows {source}"));
            }
        }
    }
    for directive in ["default-src", "script-src", "style-src"] {
        if !policy.contains_key(directive) {
            faults.push(format!("{directive} is not set"));
        }
    }
    for (directive, wanted) in [
        ("object-src", "'none'"),
        ("frame-ancestors", "'none'"),
        ("base-uri", "'none'"),
        ("form-action", "'none'"),
    ] {
        if policy.get(directive).map(Vec::as_slice) != Some(&[wanted.to_owned()][..]) {
            faults.push(format!(
                "{directive} is not {wanted}: {:?}",
                policy.get(directive)
            ));
        }
    }
    // The page talks to Rust over IPC (`ipc:` on Linux and macOS, `http://ipc.localhost`
    // on Windows and Android) and to nothing else: the backend is Rust's business.
    for source in effective(policy, "connect-src") {
        if !["'self'", "ipc:", "http://ipc.localhost"].contains(&source.as_str()) {
            faults.push(format!("connect-src allows {source}"));
        }
    }
    // Nowhere a remote origin, a wildcard or a way back to inline code.
    for (directive, sources) in policy {
        for source in sources {
            let local_scheme =
                ["data:", "blob:", "mediastream:", "ipc:"].contains(&source.as_str());
            let ipc = directive == "connect-src" && source == "http://ipc.localhost";
            if !(self_nonce_or_hash(source) || local_scheme || ipc) {
                faults.push(format!("{directive} allows {source}"));
            }
        }
    }
    faults
}

#[test]
fn the_rules_catch_what_they_are_for() {
    let strict = "default-src 'self'; script-src 'self' 'nonce-123' 'sha256-abc='; \
                  style-src 'self'; connect-src 'self' ipc: http://ipc.localhost; \
                  media-src 'self' blob: mediastream:; img-src 'self' data: blob:; \
                  object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
    assert_eq!(csp_faults(&parse_csp(strict)), Vec::<String>::new());
    for (loosened, fault) in [
        ("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
        ("script-src 'self'", "script-src 'self' 'unsafe-eval'"),
        ("script-src 'self'", "script-src 'self' https://cdn.example"),
        ("script-src 'self'", "script-src 'self' data:"),
        ("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
        ("object-src 'none'", "object-src 'self'"),
        ("frame-ancestors 'none'", "frame-ancestors *"),
        (
            "connect-src 'self' ipc:",
            "connect-src 'self' ipc: https://kyc.example.ir",
        ),
        ("img-src 'self'", "img-src 'self' https:"),
    ] {
        let policy = strict.replace(loosened, fault);
        assert_ne!(policy, strict, "{fault}");
        assert!(
            !csp_faults(&parse_csp(&policy)).is_empty(),
            "not caught: {fault}"
        );
    }
    let without_script_src = strict.replace("script-src 'self' 'nonce-123' 'sha256-abc=';", "");
    assert!(!csp_faults(&parse_csp(&without_script_src)).is_empty());
}

#[test]
fn every_page_the_app_serves_carries_the_strict_policy() {
    let shell = Shell::open("http://127.0.0.1:9/", &temp_dir("csp"));
    let assets = shell.app.asset_resolver();
    let pages: Vec<String> = assets
        .iter()
        .map(|(key, _)| key.to_string())
        .filter(|key| key.ends_with(".html"))
        .collect();
    assert!(
        pages
            .iter()
            .any(|p| p.trim_start_matches('/') == "index.html"),
        "the UI is embedded: {pages:?}"
    );
    for page in &pages {
        let asset = assets.get(page.clone()).expect("the page is served");
        let header = asset
            .csp_header()
            .unwrap_or_else(|| panic!("{page} is served without a CSP"));
        let policy = parse_csp(header);
        assert_eq!(
            csp_faults(&policy),
            Vec::<String>::new(),
            "{page}: {header}"
        );
        // The page itself has no inline script or style for Tauri to hash or nonce.
        let html = String::from_utf8_lossy(asset.bytes());
        assert!(!html.contains("<style"), "{page} has an inline style");
        assert!(!html.contains(" style="), "{page} has a style attribute");
        for script in html.split("<script").skip(1) {
            let tag = script.split('>').next().unwrap_or_default();
            assert!(
                tag.contains("src="),
                "{page} has an inline script: <script{tag}>"
            );
        }
    }
    // No other asset is served with code of its own beside the policy: what Tauri would
    // add on top of it stays on, and the page gets no file system or global API.
    let config = shell.app.config();
    let security = &config.app.security;
    assert!(
        matches!(
            security.dangerous_disable_asset_csp_modification,
            DisabledCspModificationKind::Flag(false)
        ),
        "Tauri keeps nonces and hashes in the policy"
    );
    assert!(!security.asset_protocol.enable, "no asset protocol");
    assert!(security.freeze_prototype, "Object.prototype is frozen");
    assert!(!config.app.with_global_tauri, "no window.__TAURI__");
}

/// The commands registered with `generate_handler!` in `src/lib.rs`.
fn registered_commands() -> BTreeSet<String> {
    let lib = read(&manifest_dir().join("src/lib.rs"));
    let start = lib
        .find("generate_handler![")
        .expect("lib.rs registers its commands with generate_handler!")
        + "generate_handler![".len();
    let end = start + lib[start..].find(']').expect("the list ends");
    let commands: BTreeSet<String> = lib[start..end]
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .flat_map(|line| line.split(','))
        .map(str::trim)
        .filter(|path| !path.is_empty())
        .map(|path| path.rsplit("::").next().unwrap_or(path).to_owned())
        .collect();
    assert!(commands.len() > 10, "parsed {commands:?}");
    commands
}

/// The commands `build.rs` makes permissions for.
fn commands_with_permissions() -> BTreeSet<String> {
    let build = read(&manifest_dir().join("build.rs"));
    let start = build
        .find("let commands = &[")
        .expect("build.rs lists its commands");
    let end = start + build[start..].find("];").expect("the list ends");
    build[start..end]
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The app's own permission sets and permissions (`permissions/*.toml`, not the
/// generated ones), by identifier: the commands each allows.
fn own_permissions() -> BTreeMap<String, BTreeSet<String>> {
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(manifest_dir().join("permissions")).expect("permissions/") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let file: toml::Value = toml::from_str(&read(&path)).expect("permission TOML");
        for set in file
            .get("set")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
        {
            let id = set["identifier"].as_str().expect("set identifier");
            let commands = set["permissions"]
                .as_array()
                .expect("set permissions")
                .iter()
                .map(|p| {
                    let p = p.as_str().expect("a permission name");
                    let command = p.strip_prefix("allow-").unwrap_or_else(|| {
                        panic!(
                            "{}: set {id} holds {p}, not an allow-<command>",
                            path.display()
                        )
                    });
                    command.replace('-', "_")
                })
                .collect();
            all.insert(id.to_owned(), commands);
        }
        for permission in file
            .get("permission")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
        {
            let id = permission["identifier"].as_str().expect("identifier");
            assert!(
                permission.get("scope").is_none(),
                "{id}: our commands take no scope"
            );
            let commands = permission
                .get("commands")
                .and_then(|c| c.get("allow"))
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .map(|c| c.as_str().expect("a command").to_owned())
                .collect();
            all.insert(id.to_owned(), commands);
        }
    }
    all
}

/// Every capability: the files in `capabilities/` and any written inline in
/// `tauri.conf.json`, by where it was found.
fn capabilities() -> Vec<(String, Value)> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(manifest_dir().join("capabilities")).expect("capabilities/") {
        let path = entry.expect("entry").path();
        let text = read(&path);
        let value: Value = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => serde_json::from_str(&text).expect("capability JSON"),
            Some("toml") => {
                let toml: toml::Value = toml::from_str(&text).expect("capability TOML");
                serde_json::to_value(toml).expect("as JSON")
            }
            _ => panic!("{}: not a capability file", path.display()),
        };
        all.push((path.display().to_string(), value));
    }
    let conf: Value =
        serde_json::from_str(&read(&manifest_dir().join("tauri.conf.json"))).expect("config");
    let names: BTreeSet<String> = all
        .iter()
        .filter_map(|(_, c)| c["identifier"].as_str().map(str::to_owned))
        .collect();
    for reference in conf["app"]["security"]["capabilities"]
        .as_array()
        .into_iter()
        .flatten()
    {
        match reference {
            Value::String(name) => assert!(
                names.contains(name),
                "tauri.conf.json enables capability {name}, which no file defines"
            ),
            inline => all.push(("tauri.conf.json".to_owned(), inline.clone())),
        }
    }
    all
}

#[test]
fn the_capabilities_grant_exactly_our_registered_commands_to_our_own_pages() {
    let registered = registered_commands();
    assert_eq!(
        commands_with_permissions(),
        registered,
        "build.rs makes permissions for exactly the commands lib.rs registers"
    );
    let own = own_permissions();
    let capabilities = capabilities();
    assert!(!capabilities.is_empty());
    let mut granted = BTreeSet::new();
    for (source, capability) in &capabilities {
        let id = capability["identifier"].as_str().unwrap_or("?");
        let at = format!("{source} ({id})");
        assert!(
            capability.get("remote").is_none(),
            "{at}: remote URLs are granted"
        );
        assert_ne!(
            capability["local"],
            json!(false),
            "{at}: not for our own pages"
        );
        for key in ["windows", "webviews"] {
            for label in capability[key].as_array().into_iter().flatten() {
                let label = label.as_str().expect("a label");
                assert!(!label.contains('*'), "{at}: {key} has a wildcard ({label})");
            }
        }
        let permissions = capability["permissions"].as_array().expect("permissions");
        for permission in permissions {
            let name = match permission {
                Value::String(name) => name.as_str(),
                other => other["identifier"].as_str().expect("identifier"),
            };
            assert!(
                !name.contains(':'),
                "{at}: grants {name}, a permission of Tauri's core or a plugin"
            );
            if let Some(commands) = own.get(name) {
                granted.extend(commands.iter().cloned());
            } else if let Some(command) = name.strip_prefix("allow-") {
                granted.insert(command.replace('-', "_"));
            } else {
                panic!("{at}: grants {name}, which is none of the app's own permissions");
            }
        }
    }
    let unknown: Vec<_> = granted.difference(&registered).collect();
    assert!(
        unknown.is_empty(),
        "granted but not registered: {unknown:?}"
    );
    let missing: Vec<_> = registered.difference(&granted).collect();
    assert!(
        missing.is_empty(),
        "registered but never granted: {missing:?}"
    );
    assert!(own.contains_key("ehraz"), "the ehraz set is defined");
}

#[test]
fn at_run_time_every_command_is_callable_from_our_page_and_none_from_another() {
    let registered = registered_commands();
    let shell = Shell::open("http://127.0.0.1:9/", &temp_dir("acl"));
    let refused_by_acl = |answer: &Result<Value, Value>| {
        answer
            .as_ref()
            .err()
            .and_then(Value::as_str)
            .is_some_and(|e| e.contains("not allowed"))
    };
    for command in &registered {
        // No arguments: a command that needs some is refused by their absence, after the
        // access check; one that needs none runs on an app with no journey under way.
        let ours = shell.call(command, json!({}));
        assert!(
            !refused_by_acl(&ours),
            "{command} refused to our page: {ours:?}"
        );
        for origin in [
            "https://evil.example",
            "http://127.0.0.1:9",
            "http://tauri.localhost.evil.example",
        ] {
            let theirs = shell.call_from(origin, command, json!({}));
            assert!(
                refused_by_acl(&theirs),
                "{command} from {origin}: {theirs:?}"
            );
        }
    }
    for command in [
        "plugin:app|version",
        "plugin:app|app_hide",
        "plugin:window|close",
        "plugin:window|set_fullscreen",
        "plugin:webview|create_webview_window",
        "plugin:webview|navigate",
        "plugin:event|emit",
        "plugin:path|resolve_directory",
        "plugin:resources|close",
        "plugin:menu|new",
        "plugin:image|from_path",
        "plugin:navigation|anything",
    ] {
        let answer = shell.call_from(OWN_ORIGIN, command, json!({}));
        assert!(answer.is_err(), "{command} was allowed: {answer:?}");
    }
}

#[test]
fn no_page_but_the_apps_own_is_ever_loaded() {
    let own = if cfg!(any(windows, target_os = "android")) {
        "http://tauri.localhost"
    } else {
        "tauri://localhost"
    };
    for path in ["", "/", "/index.html", "/assets/index.js?x=1#top"] {
        let url: Url = format!("{own}{path}").parse().expect("url");
        assert!(own_page(&url), "{url} is the app's own page");
    }
    for url in [
        "https://evil.example/",
        "http://127.0.0.1:8787/",
        "https://kyc.example.ir/v1/flows",
        "tauri://evil.example/",
        "tauri://localhost:8080/",
        "tauri://user@localhost/",
        "tauri://localhost.evil.example/",
        "http://tauri.localhost.evil.example/",
        "https://tauri.localhost/",
        "http://tauri.localhost:8080/",
        "ipc://localhost/app_info",
        "http://ipc.localhost/app_info",
        "asset://localhost/etc/passwd",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "blob:tauri://localhost/0a1b",
        "about:blank",
        "javascript:alert(1)",
    ] {
        let url: Url = url.parse().expect("url");
        assert!(!own_page(&url), "{url} would be loaded");
    }
}
