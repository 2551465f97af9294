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
    let delivered = tokio::runtime::Runtime::new()
        .map_err(|e| e.to_string())
        .and_then(|runtime| runtime.block_on(deliver_all(&dir, chunk)));
    match delivered {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ehraz-deliver: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn deliver_all(dir: &str, chunk: usize) -> Result<(), String> {
    let pending = Outbox::open(dir)
        .and_then(|outbox| outbox.pending())
        .map_err(|e| e.to_string())?;
    for boxed in pending {
        let state = boxed.state().map_err(|e| e.to_string())?;
        let client = Client::new(state.server.clone()).map_err(|e| e.to_string())?;
        let uploader = Uploader::new(client.clone(), chunk);
        let mut report = |step: &str, _media, held: u64, total: u64| {
            println!("progress {step} {held} {total}");
        };
        let status = deliver(boxed, &client, &uploader, &mut report)
            .await
            .map_err(|e| format!("{e} ({})", e.code()))?;
        println!("submitted {} {}", state.session.id, status.status);
    }
    Ok(())
}
