//! The webview camera's path without the app, for the UI's tests: RGBA frames read from
//! stdin are fed to a [`FedSource`] run by a [`Camera`], and a [`Sampler`] runs the live
//! guidance (`ehraz-vision`'s [`Analyzer`]) on the newest frame about fifteen times a
//! second, as the app does; each verdict is printed as a line of JSON.
//!
//! ```text
//! cargo run -p ehraz-capture --example fed_guidance -- selfie
//! ```
//!
//! stdin: for each frame, a line `WIDTH HEIGHT\n` and then `WIDTH * HEIGHT * 4` bytes of
//! RGBA (rows packed, as a canvas's `getImageData` gives). The first frame's size is the
//! camera's. stdout: `{"code":"…","ready":…,"fed":N,"analysed":M}` after each analysis,
//! `N` the frames fed so far. A malformed frame ends the program with a message on
//! stderr and status 1; the end of stdin ends it with status 0.

use std::io::{BufRead, BufReader, Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ehraz_capture::{Camera, FedPixels, FedSource, Sampler};
use ehraz_vision::{Analyzer, I420, Target};

fn target(name: &str) -> Option<Target> {
    Some(match name {
        "selfie" => Target::Selfie,
        "selfie-video" => Target::SelfieVideo,
        "selfie-with-card" => Target::SelfieWithCard,
        "paper" => Target::Paper,
        "card" => Target::Card,
        _ => return None,
    })
}

/// The next frame's size from its header line; `None` at the end of the input.
fn header(input: &mut impl BufRead) -> Result<Option<(u32, u32)>, String> {
    let mut line = String::new();
    if input.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
        return Ok(None);
    }
    let mut sides = line.split_whitespace().map(str::parse::<u32>);
    match (sides.next(), sides.next(), sides.next()) {
        (Some(Ok(width)), Some(Ok(height)), None) => Ok(Some((width, height))),
        _ => Err(format!("not a frame header: {line:?}")),
    }
}

fn run() -> Result<(), String> {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "selfie".to_owned());
    let target = target(&name).ok_or_else(|| format!("no such target: {name}"))?;
    let mirrored = matches!(
        target,
        Target::Selfie | Target::SelfieVideo | Target::SelfieWithCard
    );
    let mut input = BufReader::with_capacity(1 << 20, std::io::stdin().lock());
    let Some((width, height)) = header(&mut input)? else {
        return Ok(());
    };
    let (source, feeder) =
        FedSource::new("webview", width, height, (15, 1)).map_err(|e| e.to_string())?;
    let camera = Camera::start(source).map_err(|e| e.to_string())?;
    let fed = Arc::new(AtomicU64::new(0));
    let out = Arc::new(Mutex::new(std::io::stdout()));
    let mut analyzer = Analyzer::new(target, mirrored).map_err(|e| e.to_string())?;
    let mut analysed = 0u64;
    let sampler = {
        let (fed, out) = (Arc::clone(&fed), Arc::clone(&out));
        Sampler::start(
            camera.frames().clone(),
            Duration::from_millis(66),
            move |frame| {
                let Ok(view) = I420::new(frame.width, frame.height, &frame.data) else {
                    return;
                };
                let reading = analyzer.analyse(&view, frame.captured);
                analysed += 1;
                let line = format!(
                    "{{\"code\":\"{}\",\"ready\":{},\"fed\":{},\"analysed\":{analysed}}}\n",
                    reading.shown.guidance.id(),
                    reading.shown.ready,
                    fed.load(Ordering::Acquire),
                );
                let mut out = out
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                // The reader went away: nothing to tell.
                let _ = out.write_all(line.as_bytes()).and_then(|()| out.flush());
            },
        )
        .map_err(|e| e.to_string())?
    };
    let mut bytes = Vec::new();
    let mut size = Some((width, height));
    while let Some((width, height)) = size {
        let len = FedPixels::Rgba
            .frame_len(width, height)
            .ok_or("a frame too large")?;
        bytes.resize(len, 0);
        input.read_exact(&mut bytes).map_err(|e| e.to_string())?;
        feeder
            .push(width, height, FedPixels::Rgba, &bytes)
            .map_err(|e| e.to_string())?;
        fed.fetch_add(1, Ordering::AcqRel);
        size = header(&mut input)?;
    }
    // Fed camera first: its thread waits for frames until the feed is closed.
    drop(sampler);
    feeder.close();
    drop(camera);
    Ok(())
}

fn main() {
    if let Err(error) = run() {
        eprintln!("fed_guidance: {error}");
        std::process::exit(1);
    }
}
