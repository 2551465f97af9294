//! Embeds every `i18n/<locale>/*.ftl` file with `include_str!`, so that editing a
//! catalogue rebuilds the crate.

use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest_dir.join("../../i18n");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut entries = Vec::new();
    for locale in sorted_dir(&root).into_iter().filter(|p| p.is_dir()) {
        println!("cargo:rerun-if-changed={}", locale.display());
        let name = file_name(&locale);
        for file in sorted_dir(&locale) {
            if file.extension().is_some_and(|e| e == "ftl") {
                let path = fs::canonicalize(&file).expect("catalogue path");
                println!("cargo:rerun-if-changed={}", path.display());
                entries.push(format!(
                    "    ({name:?}, {:?}, include_str!({:?})),\n",
                    file_name(&file),
                    path.display().to_string()
                ));
            }
        }
    }
    let code = format!(
        "/// (locale, file name, contents) of every embedded catalogue.\n\
         pub(crate) static CATALOGUES: &[(&str, &str, &str)] = &[\n{}];\n",
        entries.concat()
    );
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo")).join("catalogues.rs");
    fs::write(out, code).expect("write catalogues.rs");
}

fn sorted_dir(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    paths.sort();
    paths
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("named")
        .to_string_lossy()
        .into_owned()
}
