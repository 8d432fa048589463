//! RML mappings in Turtle, as `vitrine` reads a mapping file: never a panic, and a mapping that
//! parses is consistent (its parent triples maps exist, its references can be listed).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitrine::mapping::model::ObjectMap;

fuzz_target!(|data: &[u8]| {
    let text = vitrine_fuzz::text(data);
    if let Ok(mapping) = vitrine::fuzzing::parse_mapping(&text, false) {
        check(&mapping);
    }
});

fn check(mapping: &vitrine::mapping::Mapping) {
    for map in &mapping.triples_maps {
        let _ = map.references();
        for object in map.predicate_objects.iter().flat_map(|p| &p.objects) {
            if let ObjectMap::Parent { parent, .. } = object {
                assert!(*parent < mapping.triples_maps.len(), "parent out of range");
            }
        }
    }
    let _ = mapping.source_files();
}
