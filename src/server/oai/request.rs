//! An OAI-PMH request read from its arguments, checked as the protocol says (section 3.1.2):
//! one verb, each argument once, only the arguments the verb takes, a resumption token alone.
//! Everything here is pure, so each error condition is tested without a store.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// The protocol's error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    BadArgument,
    BadResumptionToken,
    BadVerb,
    CannotDisseminateFormat,
    IdDoesNotExist,
    NoRecordsMatch,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadArgument => "badArgument",
            Self::BadResumptionToken => "badResumptionToken",
            Self::BadVerb => "badVerb",
            Self::CannotDisseminateFormat => "cannotDisseminateFormat",
            Self::IdDoesNotExist => "idDoesNotExist",
            Self::NoRecordsMatch => "noRecordsMatch",
        }
    }
}

/// An error answer: its code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaiError {
    pub code: Code,
    pub message: String,
}

pub fn error(code: Code, message: impl Into<String>) -> OaiError {
    OaiError {
        code,
        message: message.into(),
    }
}

/// Which records a list asks for: a format, a set, a datestamp range (inclusive, as full
/// `YYYY-MM-DDThh:mm:ssZ`), and where the page starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    pub prefix: String,
    pub set: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
    pub cursor: usize,
}

/// A checked request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    Identify,
    ListMetadataFormats {
        identifier: Option<String>,
    },
    ListSets,
    /// `records`: ListRecords, else ListIdentifiers; `resumed`: asked with a token.
    List {
        records: bool,
        selection: Selection,
        resumed: bool,
    },
    GetRecord {
        identifier: String,
        prefix: String,
    },
}

/// The token of the page at `selection.cursor`, valid for publication `generation` only.
pub fn token(generation: u64, selection: &Selection) -> String {
    let json = serde_json::to_vec(&(generation, selection)).expect("a selection serialises");
    URL_SAFE_NO_PAD.encode(json)
}

/// The selection of a token handed out for publication `generation`.
pub fn resume(generation: u64, token: &str) -> Result<Selection, OaiError> {
    let bad = || {
        error(
            Code::BadResumptionToken,
            format!(
                "`{token}` is not a token this repository handed out for its current publication; start the list again"
            ),
        )
    };
    let json = URL_SAFE_NO_PAD.decode(token).map_err(|_| bad())?;
    let (g, selection): (u64, Selection) = serde_json::from_slice(&json).map_err(|_| bad())?;
    if g != generation {
        return Err(error(
            Code::BadResumptionToken,
            "the data was published again since this token was handed out; start the list again",
        ));
    }
    Ok(selection)
}

/// A datestamp argument as a full UTC datestamp: a day starts at 00:00:00 (`from`) or ends
/// at 23:59:59 (`until`). The second value says whether it was a day.
fn datestamp(name: &str, value: &str, end_of_day: bool) -> Result<(String, bool), OaiError> {
    let bad = || {
        error(
            Code::BadArgument,
            format!("`{name}={value}` is not a YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ datestamp"),
        )
    };
    let (full, day) = match value.len() {
        10 => (
            format!(
                "{value}T{}Z",
                if end_of_day { "23:59:59" } else { "00:00:00" }
            ),
            true,
        ),
        20 => (value.to_owned(), false),
        _ => return Err(bad()),
    };
    let well_formed = full.as_bytes().iter().enumerate().all(|(i, b)| match i {
        4 | 7 => *b == b'-',
        10 => *b == b'T',
        13 | 16 => *b == b':',
        19 => *b == b'Z',
        _ => b.is_ascii_digit(),
    });
    if !well_formed || humantime::parse_rfc3339(&full).is_err() {
        return Err(bad());
    }
    Ok((full, day))
}

/// The verb and arguments of a request (each pair as sent, in order).
pub fn parse(args: &[(String, String)], generation: u64) -> Result<Verb, OaiError> {
    let verbs: Vec<&str> = args
        .iter()
        .filter(|(k, _)| k == "verb")
        .map(|(_, v)| v.as_str())
        .collect();
    let verb = match verbs.as_slice() {
        [] => return Err(error(Code::BadVerb, "the verb argument is missing")),
        [one] => *one,
        _ => return Err(error(Code::BadVerb, "the verb argument is repeated")),
    };
    let allowed: &[&str] = match verb {
        "Identify" => &[],
        "ListMetadataFormats" => &["identifier"],
        "ListSets" => &["resumptionToken"],
        "ListIdentifiers" | "ListRecords" => {
            &["metadataPrefix", "from", "until", "set", "resumptionToken"]
        }
        "GetRecord" => &["identifier", "metadataPrefix"],
        other => {
            return Err(error(
                Code::BadVerb,
                format!("`{other}` is not an OAI-PMH verb"),
            ));
        }
    };
    let mut seen: Vec<&str> = Vec::new();
    for (k, _) in args.iter().filter(|(k, _)| k != "verb") {
        if !allowed.contains(&k.as_str()) {
            return Err(error(
                Code::BadArgument,
                format!("{verb} takes no `{k}` argument"),
            ));
        }
        if seen.contains(&k.as_str()) {
            return Err(error(
                Code::BadArgument,
                format!("the `{k}` argument is repeated"),
            ));
        }
        seen.push(k);
    }
    let get = |name: &str| args.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let required = |name: &str| {
        get(name).ok_or_else(|| {
            error(
                Code::BadArgument,
                format!("{verb} needs a `{name}` argument"),
            )
        })
    };
    match verb {
        "Identify" => Ok(Verb::Identify),
        "ListMetadataFormats" => Ok(Verb::ListMetadataFormats {
            identifier: get("identifier"),
        }),
        "ListSets" => match get("resumptionToken") {
            // This repository never splits its list of sets.
            Some(t) => Err(error(
                Code::BadResumptionToken,
                format!("`{t}`: the list of sets is never split"),
            )),
            None => Ok(Verb::ListSets),
        },
        "GetRecord" => Ok(Verb::GetRecord {
            identifier: required("identifier")?,
            prefix: required("metadataPrefix")?,
        }),
        _ => {
            let records = verb == "ListRecords";
            if let Some(t) = get("resumptionToken") {
                if seen.len() > 1 {
                    return Err(error(
                        Code::BadArgument,
                        "resumptionToken is an exclusive argument",
                    ));
                }
                return Ok(Verb::List {
                    records,
                    selection: resume(generation, &t)?,
                    resumed: true,
                });
            }
            let prefix = required("metadataPrefix")?;
            let from = get("from")
                .map(|v| datestamp("from", &v, false))
                .transpose()?;
            let until = get("until")
                .map(|v| datestamp("until", &v, true))
                .transpose()?;
            if let (Some((f, f_day)), Some((u, u_day))) = (&from, &until) {
                if f_day != u_day {
                    return Err(error(
                        Code::BadArgument,
                        "`from` and `until` must have the same granularity",
                    ));
                }
                if f > u {
                    return Err(error(Code::BadArgument, "`from` is later than `until`"));
                }
            }
            Ok(Verb::List {
                records,
                selection: Selection {
                    prefix,
                    set: get("set"),
                    from: from.map(|(d, _)| d),
                    until: until.map(|(d, _)| d),
                    cursor: 0,
                },
                resumed: false,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn code(pairs: &[(&str, &str)]) -> Code {
        parse(&args(pairs), 7).unwrap_err().code
    }

    #[test]
    fn verbs_and_arguments_are_checked_as_the_protocol_says() {
        assert_eq!(code(&[]), Code::BadVerb);
        assert_eq!(code(&[("verb", "Dance")]), Code::BadVerb);
        assert_eq!(
            code(&[("verb", "Identify"), ("verb", "Identify")]),
            Code::BadVerb
        );
        assert_eq!(code(&[("verb", "Identify"), ("x", "1")]), Code::BadArgument);
        assert_eq!(code(&[("verb", "ListRecords")]), Code::BadArgument);
        assert_eq!(
            code(&[
                ("verb", "ListRecords"),
                ("metadataPrefix", "oai_dc"),
                ("metadataPrefix", "edm")
            ]),
            Code::BadArgument
        );
        assert_eq!(
            code(&[("verb", "GetRecord"), ("identifier", "x")]),
            Code::BadArgument
        );
        assert_eq!(
            code(&[
                ("verb", "ListIdentifiers"),
                ("metadataPrefix", "oai_dc"),
                ("from", "2024-01-01"),
                ("until", "2024-01-02T00:00:00Z")
            ]),
            Code::BadArgument
        );
        assert_eq!(
            code(&[
                ("verb", "ListIdentifiers"),
                ("metadataPrefix", "oai_dc"),
                ("from", "2024-02-30")
            ]),
            Code::BadArgument
        );
        assert_eq!(
            code(&[
                ("verb", "ListIdentifiers"),
                ("metadataPrefix", "oai_dc"),
                ("from", "2025-01-01"),
                ("until", "2024-01-01")
            ]),
            Code::BadArgument
        );
        assert_eq!(
            code(&[("verb", "ListSets"), ("resumptionToken", "x")]),
            Code::BadResumptionToken
        );
    }

    #[test]
    fn tokens_resume_their_selection_in_their_publication_only() {
        let selection = Selection {
            prefix: "edm".into(),
            set: Some("joconde".into()),
            from: Some("2024-01-01T00:00:00Z".into()),
            until: None,
            cursor: 100,
        };
        let t = token(7, &selection);
        assert_eq!(
            parse(
                &args(&[("verb", "ListRecords"), ("resumptionToken", &t)]),
                7
            ),
            Ok(Verb::List {
                records: true,
                selection: selection.clone(),
                resumed: true
            })
        );
        assert_eq!(
            parse(
                &args(&[("verb", "ListRecords"), ("resumptionToken", &t)]),
                8
            )
            .unwrap_err()
            .code,
            Code::BadResumptionToken
        );
        assert_eq!(
            code(&[("verb", "ListRecords"), ("resumptionToken", "garbage!")]),
            Code::BadResumptionToken
        );
        assert_eq!(
            code(&[
                ("verb", "ListRecords"),
                ("resumptionToken", &t),
                ("metadataPrefix", "edm")
            ]),
            Code::BadArgument
        );
        let Ok(Verb::List { selection, .. }) = parse(
            &args(&[
                ("verb", "ListIdentifiers"),
                ("metadataPrefix", "oai_dc"),
                ("from", "2024-01-01"),
                ("until", "2024-01-31"),
            ]),
            7,
        ) else {
            panic!()
        };
        assert_eq!(selection.from.as_deref(), Some("2024-01-01T00:00:00Z"));
        assert_eq!(selection.until.as_deref(), Some("2024-01-31T23:59:59Z"));
    }
}
