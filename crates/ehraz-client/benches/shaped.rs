//! One whole submission (four artifacts, then the manifest) delivered by `ehraz-deliver`
//! over a slow, lossy, distant link, against the ideal byte time of its artifacts at the
//! link's rate.
//!
//! The link is made here, so this needs root, iproute2 and nftables:
//! - a network namespace with a veth pair to it, `tbf` at 750 kbit/s on both ends;
//! - 2 % of packets dropped at random in each direction (nftables `numgen random`);
//! - 150 ms round trip, added by a relay on the host side that holds each piece of data
//!   75 ms in each direction. The kernel's `netem` would put delay and loss on packets,
//!   but this machine's kernel is built without it (`CONFIG_NET_SCH_NETEM` is not set):
//!   TCP recovers from the losses on a path with a sub-millisecond round trip, so they
//!   cost less here than on a real 150 ms path.
//!
//! `ehraz-deliver` runs inside the namespace; the server runs in this process. Without
//! root or namespaces the benchmark says why and measures nothing.
//!
//! `cargo bench -p ehraz-client --bench shaped`

#[path = "../tests/common/mod.rs"]
mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ehraz_client::{KeyStore, Outbox};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const NAMESPACE: &str = "ehraz-shaped";
const HOST_SIDE: &str = "ehz-host";
const NS_SIDE: &str = "ehz-ns";
const HOST_ADDR: &str = "10.77.0.1";
const NS_ADDR: &str = "10.77.0.2";
const RATE_BITS_PER_SECOND: f64 = 750_000.0;
const ONE_WAY: Duration = Duration::from_millis(75);
const VIDEO_BYTES: usize = 1_000_000;
const CHUNK: usize = 256 * 1024;

/// The namespace and its link; removed on drop.
struct Link;

impl Link {
    fn make() -> Result<Self, String> {
        Self::remove();
        let link = Link;
        // Written to files: nft reads rule sets with braces from files.
        let loss = |iface: Option<&str>| {
            let only = iface
                .map(|i| format!("iifname \"{i}\" "))
                .unwrap_or_default();
            let rules = format!(
                "table inet ehraz_loss {{\n  chain c {{\n    type filter hook input priority 0; policy accept;\n    {only}numgen random mod 1000 < 20 drop\n  }}\n}}\n"
            );
            let path = std::env::temp_dir().join(format!(
                "ehraz-loss-{}-{}.nft",
                iface.unwrap_or("ns"),
                std::process::id()
            ));
            std::fs::write(&path, rules)
                .map(|()| path.display().to_string())
                .map_err(|e| e.to_string())
        };
        let host_loss = loss(Some(HOST_SIDE))?;
        let ns_loss = loss(None)?;
        let tbf = "tbf rate 750kbit burst 4kb latency 400ms";
        let steps: Vec<Vec<String>> = vec![
            words(&format!("ip netns add {NAMESPACE}")),
            words(&format!(
                "ip link add {HOST_SIDE} type veth peer name {NS_SIDE}"
            )),
            words(&format!("ip link set {NS_SIDE} netns {NAMESPACE}")),
            words(&format!("ip addr add {HOST_ADDR}/24 dev {HOST_SIDE}")),
            words(&format!("ip link set {HOST_SIDE} up")),
            words(&format!(
                "ip -n {NAMESPACE} addr add {NS_ADDR}/24 dev {NS_SIDE}"
            )),
            words(&format!("ip -n {NAMESPACE} link set {NS_SIDE} up")),
            words(&format!("ip -n {NAMESPACE} link set lo up")),
            words(&format!("tc qdisc add dev {HOST_SIDE} root {tbf}")),
            words(&format!(
                "ip netns exec {NAMESPACE} tc qdisc add dev {NS_SIDE} root {tbf}"
            )),
            // Loss on arrival at either end, as a link loses packets.
            words(&format!("nft -f {host_loss}")),
            words(&format!("ip netns exec {NAMESPACE} nft -f {ns_loss}")),
        ];
        for step in steps {
            let output = Command::new(&step[0])
                .args(&step[1..])
                .output()
                .map_err(|e| format!("`{}`: {e}", step.join(" ")))?;
            if !output.status.success() {
                return Err(format!(
                    "`{}`: {}",
                    step.join(" "),
                    String::from_utf8_lossy(&output.stderr).trim()
                ));
            }
        }
        let _ = std::fs::remove_file(host_loss);
        let _ = std::fs::remove_file(ns_loss);
        Ok(link)
    }

    fn remove() {
        for cmd in [
            format!("ip netns del {NAMESPACE}"),
            format!("ip link del {HOST_SIDE}"),
            "nft delete table inet ehraz_loss".to_owned(),
        ] {
            let w = words(&cmd);
            let _ = Command::new(&w[0]).args(&w[1..]).output();
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        Self::remove();
    }
}

fn words(cmd: &str) -> Vec<String> {
    cmd.split(' ').map(str::to_owned).collect()
}

/// A TCP relay on `listen` to `upstream` that holds every piece of data `delay` before
/// passing it on, in each direction, in order. Returns its address.
async fn delaying_relay(listen: &str, upstream: std::net::SocketAddr, delay: Duration) -> String {
    let listener = TcpListener::bind(listen).await.expect("relay binds");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(upstream).await else {
                    return;
                };
                let (cr, cw) = client.into_split();
                let (sr, sw) = server.into_split();
                tokio::join!(pump(cr, sw, delay), pump(sr, cw, delay));
            });
        }
    });
    format!("http://{addr}")
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    delay: Duration,
) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let writer = async move {
        while let Some((due, bytes)) = rx.recv().await {
            tokio::time::sleep_until(due.into()).await;
            if to.write_all(&bytes).await.is_err() {
                return;
            }
        }
        let _ = to.shutdown().await;
    };
    let reader = async move {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match from.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if tx
                        .send((Instant::now() + delay, buf[..n].to_vec()))
                        .is_err()
                    {
                        return;
                    }
                }
            }
        }
    };
    tokio::join!(writer, reader);
}

fn bench(c: &mut Criterion) {
    let link = match Link::make() {
        Ok(link) => link,
        Err(why) => {
            eprintln!("shaped link: not measured: {why}");
            return;
        }
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(common::Server::start());
    let relay = rt.block_on(delaying_relay(
        &format!("{HOST_ADDR}:0"),
        server.addr(),
        ONE_WAY,
    ));
    let deliver_to: url::Url = relay.parse().expect("url");
    let dir = std::env::temp_dir().join(format!("ehraz-shaped-{}", std::process::id()));
    let outbox = Outbox::with_keys(&dir, KeyStore::File).expect("outbox");

    let mut artifact_bytes = 0u64;
    let mut group = c.benchmark_group("one submission over 750 kbit/s, 2 % loss, 150 ms");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(200));
    group.bench_function("ehraz-deliver, 256 KiB chunks", |b| {
        b.iter_batched(
            || {
                let (_, boxed) = rt.block_on(common::finished_session_in_outbox_via(
                    &server,
                    &outbox,
                    VIDEO_BYTES,
                    &deliver_to,
                ));
                let state = boxed.state().expect("state");
                artifact_bytes = state.artifacts.iter().map(|a| a.artifact.size).sum();
            },
            |()| {
                let status = Command::new("ip")
                    .args(["netns", "exec", NAMESPACE])
                    .arg(env!("CARGO_BIN_EXE_ehraz-deliver"))
                    .arg(&dir)
                    .args(["--chunk-size", &CHUNK.to_string()])
                    .stdout(std::process::Stdio::null())
                    .status()
                    .expect("ehraz-deliver runs");
                assert!(status.success(), "delivered");
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
    let ideal = artifact_bytes as f64 * 8.0 / RATE_BITS_PER_SECOND;
    eprintln!(
        "artifacts: {artifact_bytes} bytes; ideal byte time at 750 kbit/s: {ideal:.2} s \
         (divide criterion's time by it for the ratio)"
    );
    drop(server);
    drop(link);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
