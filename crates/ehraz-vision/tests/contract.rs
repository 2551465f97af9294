//! The guidance codes are a contract with the UI: the TypeScript union `GuidanceCode` in
//! ui/src/lib/backend/types.ts must name exactly the codes this crate gives.

use std::collections::BTreeSet;

use ehraz_vision::Guidance;
use strum::IntoEnumIterator;

#[test]
fn the_uis_guidance_codes_are_exactly_ours() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../ui/src/lib/backend/types.ts"
    );
    let types = std::fs::read_to_string(path).expect("the UI's types");
    let start = types
        .find("export type GuidanceCode =")
        .expect("a GuidanceCode type");
    let end = start + types[start..].find(';').expect("its end");
    let theirs: BTreeSet<&str> = types[start..end].split('\'').skip(1).step_by(2).collect();
    let ours: BTreeSet<&str> = Guidance::iter().map(Guidance::id).collect();
    assert_eq!(theirs, ours);
}
