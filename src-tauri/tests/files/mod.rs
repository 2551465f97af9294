//! Every file a test's app left under a folder, for the tests that look at what was
//! written (the outbox after a reset, a kiosk after a wipe, an installed app's data).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Every regular file under `dir`, recursively; symbolic links are not followed, and a
/// folder that cannot be read (or does not exist) holds nothing.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    found
}
