//! YARRRML: every shortcut form desugars to the same model as RML, so a YARRRML mapping and its
//! RML twin must produce exactly the same quads.

use crate::util::{run_mapping as run, write};
use std::path::{Path, PathBuf};
use vitrine::mapping::Mapping;

/// Writes `files` and the YARRRML `mapping` into a fresh folder and runs it.
fn yarrrml(mapping: &str, files: &[(&str, &str)]) -> (Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        write(&dir.path().join(name), content);
    }
    let path = dir.path().join("mapping.yml");
    write(&path, mapping);
    let mapping = Mapping::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
    run(&mapping, "http://base.org/")
}

/// The error reading the YARRRML `mapping`.
fn error(mapping: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("people.csv"), "id,name\n1,Ada\n");
    let path = dir.path().join("mapping.yaml");
    write(&path, mapping);
    match Mapping::from_path(&path) {
        Ok(_) => panic!("expected an error for:\n{mapping}"),
        Err(e) => e.to_string(),
    }
}

/// A deterministic museum CSV with the columns of `../shared/bench/gen_museum_csv.py`, with
/// commas, quotes, apostrophes, accents and slashes in its values.
fn museum_csv(rows: usize) -> String {
    let mut seed: u64 = 42;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % n
    };
    let first = ["Anna", "Pieter", "Claude", "Berthe", "Élisabeth", "Kazimir"];
    let last = [
        "Vermeer",
        "van Rijn",
        "Vigée Le Brun",
        "O'Keeffe",
        "Kahlo/Rivera",
    ];
    let media = [
        "Oil on canvas",
        "Woodblock print; ink and color on paper",
        "Bronze",
    ];
    let depts = ["Paintings", "Prints and Drawings", "Asian Art"];
    let words = [
        "landscape",
        "portrait",
        "river",
        "hat,",
        "\"after\"",
        "storm",
        "été",
    ];
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "id",
        "title",
        "creator",
        "date",
        "medium",
        "dimensions",
        "inventory_number",
        "department",
        "image_url",
        "description",
    ])
    .unwrap();
    for i in 1..=rows {
        let mut text = |k: usize| {
            (0..k)
                .map(|_| words[next(words.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let title = text(3);
        let description = text(12) + ".";
        let creator = format!(
            "{} {} {}",
            first[next(first.len())],
            last[next(last.len())],
            next(400) + 1
        );
        let date = format!(
            "{}-{:02}-{:02}",
            1500 + next(500),
            next(12) + 1,
            next(28) + 1
        );
        let dimensions = format!("{} x {} cm", next(300) + 5, next(300) + 5);
        let inventory = format!("A-{}-{i:07}", 1800 + next(225));
        out.write_record([
            i.to_string(),
            title,
            creator,
            date,
            media[next(media.len())].to_owned(),
            dimensions,
            inventory,
            depts[next(depts.len())].to_owned(),
            format!("https://images.example-museum.org/iiif/{i}/full/max/0/default.jpg"),
            description,
        ])
        .unwrap();
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

#[test]
fn bench_museum_mapping_is_the_same_in_rml_and_yarrrml() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("museum.csv"), &museum_csv(1000));
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut results = Vec::new();
    for name in ["museum.rml.ttl", "museum.yarrrml.yml"] {
        let path = dir.path().join(name);
        std::fs::copy(data.join(name), &path).unwrap();
        let mapping = Mapping::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
        results.push(run(&mapping, "http://example.org/"));
    }
    let (rml, rml_errors) = &results[0];
    let (yarrrml, yarrrml_errors) = &results[1];
    assert!(
        rml_errors.is_empty() && yarrrml_errors.is_empty(),
        "{results:?}"
    );
    // 2 classes + 10 properties per object.
    assert_eq!(rml.len(), 12_000);
    assert!(!rml.iter().any(|q| q.contains("_:")));
    assert!(
        rml == yarrrml,
        "first difference: {:?}",
        first_difference(rml, yarrrml)
    );
}

#[test]
fn joconde_profile_is_the_demo_rml_mapping() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let csv = root.join("examples/demo/data/joconde.csv");
    let rml = Mapping::from_path(&root.join("examples/demo/mappings/joconde.rml.ttl")).unwrap();
    let yarrrml = Mapping::from_path_with_sources(
        &root.join("mappings/museum-joconde.yarrrml.yml"),
        std::slice::from_ref(&csv),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(yarrrml.source_files(), [csv.as_path()]);
    let base = "https://data.example.org/";
    let (rml, rml_errors) = run(&rml, base);
    let (yarrrml, yarrrml_errors) = run(&yarrrml, base);
    assert_eq!(rml_errors, yarrrml_errors);
    assert!(rml.len() > 1000, "{}", rml.len());
    assert!(
        rml == yarrrml,
        "first difference: {:?}",
        first_difference(&rml, &yarrrml)
    );
}

fn first_difference(a: &[String], b: &[String]) -> Option<(String, String)> {
    let only_a = a.iter().find(|q| b.binary_search(q).is_err());
    let only_b = b.iter().find(|q| a.binary_search(q).is_err());
    match (only_a, only_b) {
        (None, None) => None,
        (x, y) => Some((
            format!("only in the first: {x:?}"),
            format!("only in the second: {y:?}"),
        )),
    }
}

const PEOPLE: &str = "id,name,lang,city,born\n1,Ada {L},en,P,1815\n2,José Martí,es,L,\n";
const CITIES: &str = "code,label\nP,Paris\nL,London\n";

#[test]
fn shortcut_forms() {
    let (quads, errors) = yarrrml(
        r#"
prefixes:
  ex: http://ex.org/
mappings:
  person:
    sources: [[people.csv~csv]]
    s: ex:person/$(id)
    po:
      - [a, ex:Person]
      - [ex:name, $(name)]
      - [ex:born, $(born), xsd:gYear]
      - [ex:label, $(name), en~lang]
      - [ex:named, $(name), $(lang)~lang]
      - [ex:page, http://ex.org/page/$(name)~iri]
      - [ex:note, "{$(id)} of $(name)"]
      - [ex:home, ex:home~iri]
      - [[ex:p1, ex:p2], [one, two]]
      - [ex:rel, people/$(id)~iri]
      - p: ex:long
        o:
          - value: $(id)
            datatype: xsd:integer
          - {value: $(name), language: fr}
          - {value: ex:thing, type: iri}
          - [$(born), xsd:decimal]
      - predicates: [ex:x]
        objects: constant
"#,
        &[("people.csv", PEOPLE)],
    );
    assert!(errors.is_empty(), "{errors:?}");
    let s = "<http://ex.org/person/1>";
    for expected in [
        format!("{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/Person>"),
        format!("{s} <http://ex.org/name> \"Ada {{L}}\""),
        format!("{s} <http://ex.org/born> \"1815\"^^<http://www.w3.org/2001/XMLSchema#gYear>"),
        format!("{s} <http://ex.org/label> \"Ada {{L}}\"@en"),
        format!("{s} <http://ex.org/named> \"Ada {{L}}\"@en"),
        format!("{s} <http://ex.org/page> <http://ex.org/page/Ada%20%7BL%7D>"),
        format!("{s} <http://ex.org/note> \"{{1}} of Ada {{L}}\""),
        format!("{s} <http://ex.org/home> <http://ex.org/home>"),
        format!("{s} <http://ex.org/p1> \"one\""),
        format!("{s} <http://ex.org/p2> \"two\""),
        format!("{s} <http://ex.org/rel> <http://base.org/people/1>"),
        format!("{s} <http://ex.org/long> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer>"),
        format!("{s} <http://ex.org/long> \"Ada {{L}}\"@fr"),
        format!("{s} <http://ex.org/long> <http://ex.org/thing>"),
        format!("{s} <http://ex.org/long> \"1815\"^^<http://www.w3.org/2001/XMLSchema#decimal>"),
        format!("{s} <http://ex.org/x> \"constant\""),
        "<http://ex.org/person/2> <http://ex.org/named> \"José Martí\"@es".to_owned(),
    ] {
        assert!(
            quads.contains(&expected),
            "missing {expected} in {quads:#?}"
        );
    }
    // 4 × 2 predicates on ex:p1/ex:p2, and no triple from the empty `born` of person 2.
    assert_eq!(quads.iter().filter(|q| q.contains("/p1> ")).count(), 4);
    assert!(
        !quads
            .iter()
            .any(|q| q.starts_with("<http://ex.org/person/2> <http://ex.org/born>"))
    );
}

#[test]
fn joins_named_sources_and_graphs() {
    let (quads, errors) = yarrrml(
        r#"
base: http://base.org/data/
prefixes:
  ex: http://ex.org/
sources:
  people: [people.csv~csv]
  cities:
    access: cities.csv
    referenceFormulation: csv
mapping:
  person:
    sources: people
    s: person/$(id)
    graph: ex:graph/people
    po:
      - p: ex:livesIn
        o:
          mapping: city
          condition:
            function: equal
            parameters:
              - [str1, $(city)]
              - [str2, $(code)]
      - p: ex:self
        o: {mapping: same}
      - p: ex:name
        o: $(name)
        g: [ex:graph/names, rr:defaultGraph]
  same:
    sources: people
    s: ex:same/$(id)
  city:
    source: cities
    s: $(code)~blanknode
    po:
      - [rdfs:label, $(label)]
"#,
        &[("people.csv", PEOPLE), ("cities.csv", CITIES)],
    );
    assert!(errors.is_empty(), "{errors:?}");
    for expected in [
        "<http://base.org/data/person/1> <http://ex.org/livesIn> _:P <http://ex.org/graph/people>",
        "<http://base.org/data/person/2> <http://ex.org/livesIn> _:L <http://ex.org/graph/people>",
        "<http://base.org/data/person/1> <http://ex.org/self> <http://ex.org/same/1> <http://ex.org/graph/people>",
        "<http://base.org/data/person/1> <http://ex.org/name> \"Ada {L}\" <http://ex.org/graph/people>",
        "<http://base.org/data/person/1> <http://ex.org/name> \"Ada {L}\" <http://ex.org/graph/names>",
        // rr:defaultGraph on a predicate-object map adds the default graph (RML-Core 0028b).
        "<http://base.org/data/person/1> <http://ex.org/name> \"Ada {L}\"",
        "_:P <http://www.w3.org/2000/01/rdf-schema#label> \"Paris\"",
    ] {
        assert!(
            quads.iter().any(|q| q == expected),
            "missing {expected} in {quads:#?}"
        );
    }
    assert_eq!(quads.len(), 12, "{quads:#?}");
}

#[test]
fn errors_name_the_file_mapping_and_key() {
    let err = error("mappings: [unclosed");
    assert!(err.contains("mapping.yaml is not valid YARRRML"), "{err}");
    assert!(error("just text").contains("must be a YAML mapping"));
    assert!(error("prefixes: {}").contains("has no `mappings`"));
    assert!(error("mapings: {}").contains("unknown key `mapings`"));

    let person = |po: &str| {
        format!(
            "mappings:\n  person:\n    sources: [[people.csv~csv]]\n    s: http://ex.org/$(id)\n    po:\n      - [a, http://ex.org/P]\n{po}"
        )
    };
    let err = error(&person("      - {p: http://ex.org/name, obj: $(name)}\n"));
    assert!(
        err.contains("triples map <person>, mappings.person.po[2]"),
        "{err}"
    );
    assert!(err.contains("unknown key `obj`"), "{err}");

    let err = error(&person("      - just a string\n"));
    assert!(
        err.contains("mappings.person.po[2]: must be a list"),
        "{err}"
    );

    let err = error(&person(
        "      - [http://ex.org/p, $(name), xsd:string, extra]\n",
    ));
    assert!(err.contains("mappings.person.po[2]"), "{err}");

    let err = error(&person(
        "      - p: http://ex.org/p\n        o:\n          function: grel:toUpperKase\n          parameters: [[grel:valueParameter, $(name)]]\n",
    ));
    assert!(
        err.contains(
            "unknown function <http://users.ugent.be/~bjdmeest/function/grel.ttl#toUpperKase>"
        ),
        "{err}"
    );
    assert!(err.contains("mapping.yaml"), "{err}");
    assert!(err.contains("<person>, mappings.person.po[2].o"), "{err}");

    let err = error(&person(
        "      - p: http://ex.org/p\n        o: {mapping: nobody}\n",
    ));
    assert!(
        err.contains("there is no mapping `nobody` (mappings: person)"),
        "{err}"
    );

    let err = error(&person("      - [http://ex.org/p, $(name, en~lang]\n"));
    assert!(err.contains("unclosed `$(`"), "{err}");

    let err = error(&person("      - [http://ex.org/p, $(name)~iri, en~lang]\n"));
    assert!(err.contains("only to literals"), "{err}");

    let err = error(&person(
        "      - [http://ex.org/p, $(name), not a tag~lang]\n",
    ));
    assert!(err.contains("not a valid language tag"), "{err}");

    let err = error(
        "mappings:\n  x:\n    sources: [[data.json~sparql, $.items]]\n    s: http://ex.org/$(id)\n",
    );
    assert!(
        err.contains("mappings.x.sources[1]: cannot tell how to read `data.json~sparql`"),
        "{err}"
    );

    let err = error("mappings:\n  x:\n    sources: [[people.txt]]\n    s: http://ex.org/$(id)\n");
    assert!(err.contains("write `people.txt~csv`"), "{err}");

    let err = error(
        "mappings:\n  x:\n    sources: [[people.csv~csv]]\n    s: $(id)\n    subject: $(id)\n",
    );
    assert!(err.contains("has both `s` and `subject`"), "{err}");

    let err = error("mappings:\n  x:\n    sources: [[people.csv~csv]]\n    po: [[a, b]]\n");
    assert!(err.contains("has no `s`"), "{err}");

    // A parent reading another source needs a join condition.
    let err = error(
        "mappings:\n  a:\n    sources: [[people.csv~csv]]\n    s: http://ex.org/$(id)\n    po:\n      - {p: http://ex.org/p, o: {mapping: b}}\n  b:\n    sources: [[other.csv~csv]]\n    s: http://ex.org/b/$(id)\n",
    );
    assert!(
        err.contains("mapping `b` reads another source, so it needs a `condition`"),
        "{err}"
    );

    let err = error(&person(
        "      - p: http://ex.org/p\n        o:\n          mapping: person\n          condition: {function: notEqual, parameters: [[str1, $(id)], [str2, $(id)]]}\n",
    ));
    assert!(err.contains("only the `equal` function"), "{err}");
}

#[test]
fn no_yaml_input_panics() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("m.yml");
    for text in [
        "",
        "~",
        "- a\n- b",
        "mappings: ~",
        "mappings: {x: ~}",
        "mappings: {x: {sources: ~, s: ~}}",
        "mappings: {x: {sources: [[]], s: []}}",
        "mappings: {x: {sources: [[a.csv~csv, [1]]], s: {}}}",
        "mappings: {x: {sources: {access: 1}, s: {value: ~}}}",
        "mappings: {x: {sources: [a.csv], s: a, po: [[], [a], [[], []], {p: [], o: []}]}}",
        "mappings: {x: {sources: [a.csv], s: a, po: [[a, {b: c}], {p: a, o: [[]]}]}}",
        "mappings: {x: {sources: [a.csv], s: a, po: [{p: a, o: {mapping: x, condition: [1, {}]}}]}}",
        "mappings: {x: {sources: [a.csv], s: $(, po: [[$($(, $()]]}}",
        "prefixes: [1]\nmappings: {}",
        "prefixes: {a: [1]}\nbase: {}\nsources: 1\nmappings: {}",
        "sources: {a: [1, 2, 3]}\nmappings: {x: 1}",
        "mappings: {? [a] : b}",
        "&a [*a]",
        "mappings: {x: {sources: [a.csv~csv], s: \"\\u0000~iri\", g: [~]}}",
        &"[".repeat(10_000),
    ] {
        write(&path, text);
        let result = std::panic::catch_unwind(|| Mapping::from_path(&path).map(|_| ()));
        assert!(result.is_ok(), "panicked on {text:?}");
    }
}

#[test]
fn several_subjects_and_the_document_base() {
    let (quads, errors) = yarrrml(
        r#"
base: http://doc.org/
mappings:
  person:
    sources: [[people.csv~csv]]
    subjects: [p/$(id), $(id)~blanknode]
    po:
      - [http://ex.org/page, $(city)~iri]
      - p: http://ex.org/in
        o: {mapping: place}
  place:
    sources: [[people.csv~csv]]
    s: place/$(city)
"#,
        &[("people.csv", PEOPLE)],
    );
    assert!(errors.is_empty(), "{errors:?}");
    for expected in [
        // The document's base wins over the executor's default base, for references too.
        "<http://doc.org/p/1> <http://ex.org/page> <http://doc.org/P>",
        "_:1 <http://ex.org/page> <http://doc.org/P>",
        "<http://doc.org/p/2> <http://ex.org/in> <http://doc.org/place/L>",
        "_:2 <http://ex.org/in> <http://doc.org/place/L>",
    ] {
        assert!(
            quads.iter().any(|q| q == expected),
            "missing {expected} in {quads:#?}"
        );
    }
    assert_eq!(quads.len(), 8, "{quads:#?}");
}

const TAGS: &str = "id,tags,year\n1, oiseau ;lune; étoile ,vers 1890\n2,mer,XIXe siècle\n3,,\n";

#[test]
fn functions() {
    let (quads, errors) = yarrrml(
        r#"
prefixes:
  ex: http://ex.org/
  vfn: https://w3id.org/vitrine/fn#
mappings:
  work:
    sources: [[tags.csv~csv]]
    s:
      function: grel:toUpperCase
      parameters: [[grel:valueParam, ex:work/$(id)~iri]]
    po:
      # Shortcut, nested call, language in the third element.
      - - ex:subject
        - function: grel:string_trim
          parameters:
            - - grel:valueParam
              - fn: grel:string_split
                pms: [[grel:valueParam, $(tags)], [grel:p_string_sep, ";"]]
        - fr~lang
      # Shortcut with a datatype, and a list of objects mixing calls and strings.
      - [ex:begin, {function: vfn:dateBegin, parameters: [[vfn:value, $(year)]]}, xsd:dateTime]
      - [ex:both, [{f: grel:toLowerCase, parameters: [[grel:valueParam, $(tags)]]}, $(id)]]
      # A term type in the third element.
      - [ex:see, {function: grel:string_trim, parameters: [[grel:valueParam, "ex:tag/$(id)~iri"]]}, ~iri]
      # Long form: parameters as {parameter, value}, a type, a language, a datatype.
      - p: ex:label
        o:
          function: vfn:dateLabel
          parameters:
            - parameter: vfn:value
              value: $(year)
              from: s
          language: fr
      - p: ex:end
        o:
          - function: vfn:dateEnd
            parameters: [[vfn:value, $(year)]]
            datatype: xsd:dateTime
      - p: ex:page
        o:
          function: grel:string_replace
          parameters:
            - [grel:valueParam, {function: grel:string_trim, parameters: [[grel:valueParam, $(tags)]]}]
            - [grel:p_string_find, "\\s*;\\s*"]
            - [grel:p_string_replace, "/"]
          type: iri
      - p: ex:joined
        o:
          - - function: grel:array_join
              parameters:
                - [grel:p_array_a, {function: grel:string_split, parameters: [[grel:valueParam, $(tags)], [grel:p_string_sep, ";"]]}]
                - [grel:p_string_sep, "+"]
            - en~lang
"#,
        &[("tags.csv", TAGS)],
    );
    assert!(errors.is_empty(), "{errors:?}");
    let s = "<HTTP://EX.ORG/WORK/1>";
    let xsd = "http://www.w3.org/2001/XMLSchema#";
    for expected in [
        format!("{s} <http://ex.org/subject> \"oiseau\"@fr"),
        format!("{s} <http://ex.org/subject> \"lune\"@fr"),
        format!("{s} <http://ex.org/subject> \"étoile\"@fr"),
        format!("{s} <http://ex.org/begin> \"1885-01-01T00:00:00\"^^<{xsd}dateTime>"),
        format!("{s} <http://ex.org/both> \" oiseau ;lune; étoile \""),
        format!("{s} <http://ex.org/both> \"1\""),
        format!("{s} <http://ex.org/see> <http://ex.org/tag/1>"),
        format!("{s} <http://ex.org/label> \"vers 1890\"@fr"),
        format!("{s} <http://ex.org/end> \"1895-12-31T23:59:59\"^^<{xsd}dateTime>"),
        format!("{s} <http://ex.org/page> <http://base.org/oiseau/lune/étoile>"),
        format!("{s} <http://ex.org/joined> \" oiseau +lune+ étoile \"@en"),
        "<HTTP://EX.ORG/WORK/2> <http://ex.org/subject> \"mer\"@fr".to_owned(),
    ] {
        assert!(
            quads.contains(&expected),
            "missing {expected} in {quads:#?}"
        );
    }
    // A record without values gives no value to the functions reading them.
    let third: Vec<_> = quads
        .iter()
        .filter(|q| q.starts_with("<HTTP://EX.ORG/WORK/3>"))
        .collect();
    assert_eq!(third.len(), 2, "{third:#?}");
}

#[test]
fn function_errors() {
    let person = |po: &str| {
        format!(
            "mappings:\n  person:\n    sources: [[people.csv~csv]]\n    s: http://ex.org/$(id)\n    po:\n{po}"
        )
    };
    // Unknown function, in a nested call: the key is the nested call's.
    let err = error(&person(
        "      - [http://ex.org/p, {function: grel:string_trim, parameters: [[grel:valueParam, {function: grel:nope, parameters: []}]]}]\n",
    ));
    assert!(err.contains("mapping.yaml"), "{err}");
    assert!(
        err.contains("<person>, mappings.person.po[1][2].parameters[1]"),
        "{err}"
    );
    assert!(
        err.contains("unknown function <http://users.ugent.be/~bjdmeest/function/grel.ttl#nope>"),
        "{err}"
    );

    // Unknown parameter.
    let err = error(&person(
        "      - p: http://ex.org/p\n        o: {function: grel:toUpperCase, parameters: [[grel:p_nothing, $(name)]]}\n",
    ));
    assert!(err.contains("mappings.person.po[1].o"), "{err}");
    assert!(err.contains("has no parameter"), "{err}");
    assert!(err.contains("p_nothing"), "{err}");

    // Missing parameter.
    let err = error(&person(
        "      - [http://ex.org/p, {function: grel:string_split, parameters: [[grel:valueParam, $(name)]]}]\n",
    ));
    assert!(err.contains("needs parameter"), "{err}");

    // Unknown keys, on the call and on a parameter.
    let err = error(&person(
        "      - p: http://ex.org/p\n        o: {function: grel:toUpperCase, parameters: [[grel:valueParam, $(name)]], colour: red}\n",
    ));
    assert!(err.contains("unknown key `colour`"), "{err}");
    let err = error(&person(
        "      - [http://ex.org/p, {function: grel:toUpperCase, parameters: [{parameter: grel:valueParam, val: $(name)}]}]\n",
    ));
    assert!(
        err.contains("mappings.person.po[1][2].parameters[1]: unknown key `val`"),
        "{err}"
    );

    // A language on an IRI made by a function.
    let err = error(&person(
        "      - p: http://ex.org/p\n        o: {function: grel:toUpperCase, parameters: [[grel:valueParam, $(name)]], type: iri, language: fr}\n",
    ));
    assert!(err.contains("only to literals"), "{err}");

    // An undeclared prefix is not expanded.
    let err = error(&person(
        "      - [http://ex.org/p, {function: grel:toUpperCase, parameters: [[nope:valueParam, $(name)]]}]\n",
    ));
    assert!(err.contains("has no parameter <nope:valueParam>"), "{err}");
}
