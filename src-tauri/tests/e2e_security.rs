//! The real app (the release-shaped binary in WebKitGTK under Xvfb, driven over WebDriver)
//! enforces what `tests/security.rs` reads from its build: a script in the page, as a
//! compromised page would run it, cannot run inline code or `eval`, cannot style with
//! inline CSS, cannot reach the backend (listening on loopback, reachable by anything
//! else) or any other address, cannot navigate the window anywhere, and cannot open a
//! window. Every refusal is seen twice: the attempt had no effect, and the page reported
//! a CSP violation for it where the CSP is what refused it.
//!
//! Ignored by a plain `cargo test`, like `tests/e2e.rs`: it needs `Xvfb`, `tauri-driver`,
//! `WebKitWebDriver`, `ffmpeg` and `espeak-ng`. `scripts/test` installs them and runs it.

mod demo;
mod journeys;
mod webdriver;
mod xvfb;

use std::path::PathBuf;
use std::time::Duration;

use journeys::{Media, Rig};
use serde_json::json;
use webdriver::Session;

/// How long a navigation that was asked for gets to happen before it is called refused:
/// the backend answers on loopback in milliseconds.
const NAVIGATION_CHANCE: Duration = Duration::from_secs(2);

async fn violations(app: &Session) -> String {
    app.execute("return window.__violations.join('\\n')", &[])
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver, ffmpeg and espeak-ng; scripts/test runs it"]
async fn the_page_can_neither_run_inline_code_nor_reach_out_nor_leave_the_app() {
    let media = Media::make(&std::env::temp_dir().join("ehraz-e2e-media"), 640, 480, 4);
    let application = PathBuf::from(env!("CARGO_BIN_EXE_ehraz"));
    let rig = Rig::start(application, media, (1280, 800), &[]).await;
    let backend = format!("http://{}/", rig.server.addr);
    let app = rig.open_app().await;
    app.wait_for("main h1").await;
    let home = app.execute("return location.href", &[]).await;
    assert!(
        home.starts_with("tauri://localhost"),
        "the app's page: {home}"
    );
    app.execute(
        "window.__violations = []; \
         document.addEventListener('securitypolicyviolation', \
           (e) => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI)); \
         return 'listening'",
        &[],
    )
    .await;

    // Inline script, eval and new Function.
    let inline = app
        .execute(
            "const s = document.createElement('script'); \
             s.textContent = 'window.__inline = \"ran\"'; \
             document.head.appendChild(s); \
             return String(window.__inline)",
            &[],
        )
        .await;
    assert_eq!(inline, "undefined", "an inline script ran");
    let eval = app
        .execute(
            "const tries = []; \
             try { tries.push(String(eval('1 + 1'))); } catch (e) { tries.push(e.name); } \
             try { tries.push(String(new Function('return 2')())); } catch (e) { tries.push(e.name); } \
             return tries.join(' ')",
            &[],
        )
        .await;
    assert_eq!(eval, "EvalError EvalError", "eval or new Function ran");

    // Inline style: an attribute and a <style> element.
    let styled = app
        .execute(
            "const d = document.createElement('div'); d.id = 'probe'; \
             d.setAttribute('style', 'color: rgb(1, 2, 3)'); document.body.appendChild(d); \
             const byAttribute = getComputedStyle(d).color; \
             d.removeAttribute('style'); \
             const s = document.createElement('style'); \
             s.textContent = '#probe { color: rgb(4, 5, 6) }'; document.head.appendChild(s); \
             const byElement = getComputedStyle(d).color; \
             d.remove(); s.remove(); \
             return byAttribute + ' / ' + byElement",
            &[],
        )
        .await;
    assert!(
        !styled.contains("rgb(1, 2, 3)") && !styled.contains("rgb(4, 5, 6)"),
        "inline style applied: {styled}"
    );

    // The network: the backend is up on loopback, and the page still cannot reach it.
    // (`no-cors`: were the CSP to let it through, the answer would arrive, opaque, rather
    // than fail for want of CORS headers; an image that fails to load proves nothing
    // either, so the violations below are what tell.)
    app.execute(
        "window.__fetched = 'pending'; \
         fetch(arguments[0] + 'v1/flows', { mode: 'no-cors' }).then( \
           (r) => { window.__fetched = 'fetched ' + r.status; }, \
           () => { window.__fetched = 'blocked'; }); \
         window.__image = 'pending'; \
         const i = new Image(); \
         i.onload = () => { window.__image = 'loaded'; }; \
         i.onerror = () => { window.__image = 'blocked'; }; \
         i.src = arguments[0] + 'health'; \
         return 'asked'",
        &[json!(backend)],
    )
    .await;
    app.wait_until("the fetch and the image settle", || async {
        app.execute(
            "return window.__fetched !== 'pending' && window.__image !== 'pending' ? 'y' : ''",
            &[],
        )
        .await
            == "y"
    })
    .await;
    assert_eq!(
        app.execute("return window.__fetched + ' ' + window.__image", &[])
            .await,
        "blocked blocked",
        "the page reached the backend"
    );

    app.wait_until("a violation reported for each", || async {
        let seen = violations(&app).await;
        ["script-src", "style-src", "connect-src", "img-src"]
            .iter()
            .all(|d| seen.contains(d))
    })
    .await;
    let seen = violations(&app).await;
    for refused in [
        format!("connect-src {backend}v1/flows"),
        format!("img-src {backend}health"),
    ] {
        assert!(
            seen.contains(&refused),
            "not refused by the CSP: {refused} in {seen}"
        );
    }

    // No window: window.open and a link to a new window.
    let opened = app
        .execute(
            "const w = window.open(arguments[0]); return String(w === null)",
            &[json!(backend)],
        )
        .await;
    assert_eq!(opened, "true", "window.open gave a window");

    // No navigation, whoever asks: the page's location, a link, a form.
    for (how, script) in [
        ("location", "location.href = arguments[0]"),
        (
            "link",
            "const a = document.createElement('a'); a.href = arguments[0]; document.body.appendChild(a); a.click()",
        ),
        (
            "new-window link",
            "const a = document.createElement('a'); a.href = arguments[0]; a.target = '_blank'; document.body.appendChild(a); a.click()",
        ),
        (
            "form",
            "const f = document.createElement('form'); f.action = arguments[0]; f.method = 'get'; document.body.appendChild(f); f.submit()",
        ),
    ] {
        for target in [
            backend.as_str(),
            "https://evil.example/",
            "data:text/html,<h1>elsewhere</h1>",
            "about:blank",
        ] {
            app.execute(
                &format!("window.__marker = 'kept'; {script}; return 'asked'"),
                &[json!(target)],
            )
            .await;
            tokio::time::sleep(NAVIGATION_CHANCE).await;
            let still = app
                .execute(
                    "return (window.__marker || 'gone') + ' ' + location.href + ' ' + \
                     (document.querySelector('main h1') ? 'app' : 'no-app')",
                    &[],
                )
                .await;
            assert_eq!(still, format!("kept {home} app"), "{how} to {target}");
        }
    }

    app.quit().await;
    rig.stop().await;
}
