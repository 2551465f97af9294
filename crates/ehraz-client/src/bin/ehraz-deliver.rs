//! `ehraz-deliver OUTBOX [--chunk-size BYTES]`: delivers every session an outbox still
//! holds to its backend, as the app does at start after a crash. Prints one line per
//! chunk (`progress STEP HELD TOTAL`) and per session (`submitted SESSION STATUS`).

use std::process::ExitCode;

use ehraz_client::{Client, Outbox, Uploader, deliver};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: ehraz-deliver OUTBOX [--chunk-size BYTES]");
        return ExitCode::from(2);
    };
    let chunk = match (args.next().as_deref(), args.next()) {
        (Some("--chunk-size"), Some(n)) => n.parse().unwrap_or(1 << 20),
        _ => 1 << 20,
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ehraz-deliver: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let outbox = match Outbox::open(&dir).and_then(|o| o.pending().map(|p| (o, p))) {
            Ok((_, pending)) => pending,
            Err(e) => {
                eprintln!("ehraz-deliver: {e}");
                return ExitCode::FAILURE;
            }
        };
        for boxed in outbox {
            let state = match boxed.state() {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("ehraz-deliver: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let client = match Client::new(state.server.clone()) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("ehraz-deliver: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let uploader = Uploader::new(client.clone(), chunk);
            let mut report = |step: &str, _media, held: u64, total: u64| {
                println!("progress {step} {held} {total}");
            };
            match deliver(boxed, &client, &uploader, &mut report).await {
                Ok(status) => println!("submitted {} {}", state.session.id, status.status),
                Err(e) => {
                    eprintln!("ehraz-deliver: {} ({})", e, e.code());
                    return ExitCode::FAILURE;
                }
            }
        }
        ExitCode::SUCCESS
    })
}
