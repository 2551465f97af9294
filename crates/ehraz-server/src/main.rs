//! `ehraz-server`: starts the reference backend on loopback with embedded defaults, or
//! prints its OpenAPI document.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use ehraz_server::{Config, SystemClock};

const USAGE: &str = "ehraz-server: Ehraz's reference verification backend

Usage:
  ehraz-server [serve] [--listen ADDR] [--data-dir DIR] [--database-url URL] [--sejam-seed FILE] [--quiet-sms]
  ehraz-server openapi        print the OpenAPI document

The operator's token is EHRAZ_ADMIN_TOKEN, or a random one printed at start.
Logs go to standard error; EHRAZ_LOG_FORMAT=json makes them JSON, RUST_LOG filters them.
Defaults: --listen 127.0.0.1:8787, --data-dir ./ehraz-data, SQLite in the data folder,
one-time codes printed to this console (development SMS provider).";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ehraz-server: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut config = Config::local(PathBuf::from("ehraz-data"));
    let mut database_url = None;
    let mut command = None;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("listen") => {
                config.listen = value(&mut parser)?
                    .parse::<SocketAddr>()
                    .map_err(|e| format!("--listen: {e}"))?;
            }
            Long("data-dir") => config.data_dir = PathBuf::from(value(&mut parser)?),
            Long("database-url") => database_url = Some(value(&mut parser)?),
            Long("sejam-seed") => config.sejam_seed = Some(PathBuf::from(value(&mut parser)?)),
            Long("quiet-sms") => config.print_sms = false,
            Short('h') | Long("help") => {
                println!("{USAGE}");
                return Ok(());
            }
            Value(word) if command.is_none() => {
                command = Some(word.string().map_err(|e| format!("{e:?}"))?);
            }
            other => return Err(format!("{}\n\n{USAGE}", other.unexpected())),
        }
    }
    config.admin_token = std::env::var("EHRAZ_ADMIN_TOKEN")
        .ok()
        .filter(|t| !t.is_empty());
    config.database_url = database_url
        .unwrap_or_else(|| format!("sqlite:{}", config.data_dir.join("ehraz.db").display()));
    match command.as_deref() {
        Some("openapi") => {
            print!("{}", ehraz_server::openapi_json());
            Ok(())
        }
        None | Some("serve") => serve(config),
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}

fn value(parser: &mut lexopt::Parser) -> Result<String, String> {
    use lexopt::ValueExt;
    parser
        .value()
        .map_err(|e| e.to_string())?
        .string()
        .map_err(|e| format!("{e:?}"))
}

fn serve(config: Config) -> Result<(), String> {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // Structured logs for deployments: EHRAZ_LOG_FORMAT=json.
    if std::env::var("EHRAZ_LOG_FORMAT").is_ok_and(|f| f == "json") {
        logs.json().init();
    } else {
        logs.with_ansi(std::io::stderr().is_terminal()).init();
    }
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let server = ehraz_server::start(config, Arc::new(SystemClock))
            .await
            .map_err(|e| e.to_string())?;
        eprintln!(
            "ehraz-server listening on http://{} (Ctrl+C stops)",
            server.addr
        );
        tokio::select! {
            result = tokio::signal::ctrl_c() => result.map_err(|e| e.to_string())?,
        }
        server.stop().await.map_err(|e| e.to_string())
    })
}
