//! `Accept-Language` → the language of a page (`Lang::from_accept_language`): never a panic;
//! French unless the header names English; a language the site does not have, or French with
//! q=0, appended to the header changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitrine::fuzzing::Lang;

fuzz_target!(|data: &[u8]| {
    let header = vitrine_fuzz::text(data);
    let lang = Lang::from_accept_language(Some(&header));
    if !header.to_ascii_lowercase().contains("en") {
        assert_eq!(lang, Lang::Fr, "English was not asked for");
    }
    for tail in [",de", ", fr;q=0", ",*;q=0.5"] {
        assert_eq!(
            Lang::from_accept_language(Some(&format!("{header}{tail}"))),
            lang,
            "{header:?} then {tail:?}"
        );
    }
});
