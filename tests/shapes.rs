//! The profiles' shapes on their fixtures: each shape has a record that conforms (no result at
//! all) and one that violates it (at least one `sh:Violation`), checked with vitrine's engine.

use std::path::Path;
use vitrine::validate::{DataGraph, ShapesGraph, read_files};

#[test]
fn every_profile_shape_accepts_its_conforming_fixture_and_rejects_the_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for profile in [
        "museum",
        "library",
        "events",
        "agents",
        "natural-history",
        "documents",
    ] {
        let shapes = ShapesGraph::from_files(&[root.join(format!("shapes/{profile}.shapes.ttl"))])
            .unwrap_or_else(|e| panic!("{profile}: {e}"));
        let folder = root.join("tests/data/shapes").join(profile);
        let mut fixtures: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        fixtures.sort();
        for fixture in fixtures {
            let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
            let data = DataGraph::from_triples(read_files(&[&fixture]).unwrap());
            let report = shapes.validate(&data, None).unwrap();
            if name.ends_with(".conforms.ttl") {
                assert!(
                    report.results.is_empty(),
                    "{profile}/{name}: {:#?}",
                    report.results
                );
            } else {
                assert!(name.ends_with(".violates.ttl"), "{name}");
                assert!(
                    report.results.iter().any(|r| r.is_violation()),
                    "{profile}/{name} gives no violation: {:#?}",
                    report.results
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 32, "every shape keeps its two fixtures");
}
