//! The distributions of a dataset: its two dumps, its Europeana records and the SPARQL
//! endpoint, each with what portals score (format and media type from their vocabularies, size,
//! checksum, licence, rights, dates, availability).

use super::{Builder, Out, Profile, code_iri, iri};
use crate::authority::{self, FILE_TYPES};
use crate::catalog::dump::{File, Manifest};
use crate::config::{Dataset, Text};
use crate::formats::{self, Format};
use crate::store::PublishedDataset;
use crate::vocab::{dcat, dcatap, dcterms, edm, rdf, rdfs, skos, spdx, xsd};
use oxigraph::model::{Literal, NamedNode};

/// A dump distribution: which manifest file, which format, which EU file type.
struct DumpKind {
    key: &'static str,
    format: Format,
    file_type: &'static str,
    title: Text,
    description: Text,
}

/// A text the catalogue writes itself, in both its languages.
fn fr_en(fr: &str, en: &str) -> Text {
    Text {
        fr: Some(fr.into()),
        en: Some(en.into()),
    }
}

fn dump_kinds() -> [DumpKind; 2] {
    [
        DumpKind {
            key: "nt",
            format: formats::NTRIPLES,
            file_type: "RDF_N_TRIPLES",
            title: fr_en(
                "Export complet en N-Triples (gzip)",
                "Full dump in N-Triples (gzip)",
            ),
            description: fr_en(
                "Tous les triplets publiés du jeu de données, un par ligne, dans un ordre stable.",
                "Every published triple of the dataset, one per line, in a stable order.",
            ),
        },
        DumpKind {
            key: "ttl",
            format: formats::TURTLE,
            file_type: "RDF_TURTLE",
            title: fr_en(
                "Export complet en Turtle (gzip)",
                "Full dump in Turtle (gzip)",
            ),
            description: fr_en(
                "Tous les triplets publiés du jeu de données, groupés par ressource.",
                "Every published triple of the dataset, grouped by resource.",
            ),
        },
    ]
}

impl Builder<'_> {
    /// The dumps of `d` that manifest `m` describes.
    pub(super) fn dump_distributions(
        &self,
        out: &mut Out,
        d: &Dataset,
        p: &PublishedDataset,
        m: &Manifest,
    ) {
        for kind in dump_kinds() {
            self.dump_distribution(out, d, p, m, &kind);
        }
    }

    /// A new distribution of `d`, `{base}dataset/{id}/distribution/{key}`, linked from it,
    /// with what every distribution says: licence, rights, dates, availability, title and
    /// description.
    fn distribution(
        &self,
        out: &mut Out,
        d: &Dataset,
        p: &PublishedDataset,
        key: &str,
        title: &Text,
        description: &Text,
    ) -> NamedNode {
        let s = &iri(&format!(
            "{}dataset/{}/distribution/{key}",
            self.config.base_iri.as_str(),
            d.id
        ));
        out.add(
            &self.config_names().dataset(&d.id),
            dcat::DISTRIBUTION_PROP,
            s.clone(),
        );
        out.add(s, rdf::TYPE, dcat::DISTRIBUTION);
        out.typed(
            s,
            dcterms::LICENSE,
            d.license.as_str(),
            dcterms::LICENSE_DOCUMENT,
        );
        if let Some(rights) = &self.catalog.rights {
            let r = iri(&format!("{}#rights", s.as_str()));
            out.add(s, dcterms::RIGHTS, r.clone());
            out.add(&r, rdf::TYPE, dcterms::RIGHTS_STATEMENT);
            out.text(&r, rdfs::LABEL, rights);
        }
        out.date_time(s, dcterms::ISSUED, &p.first_published);
        out.date_time(s, dcterms::MODIFIED, &p.published);
        // Stable URLs: a new version replaces the content, never the address.
        let stable = format!("{}STABLE", authority::AVAILABILITY);
        out.typed(s, dcatap::AVAILABILITY, &stable, skos::CONCEPT);
        out.text(&iri(&stable), skos::PREF_LABEL, &fr_en("stable", "stable"));
        out.text(s, dcterms::TITLE, title);
        out.text(s, dcterms::DESCRIPTION, description);
        s.clone()
    }

    fn dump_distribution(
        &self,
        out: &mut Out,
        d: &Dataset,
        p: &PublishedDataset,
        m: &Manifest,
        kind: &DumpKind,
    ) {
        let file = if kind.key == "nt" {
            &m.ntriples
        } else {
            &m.turtle
        };
        let s = &self.distribution(out, d, p, kind.key, &kind.title, &kind.description);
        let url = iri(&format!("{}dumps/{}", self.site, file.path));
        out.add(s, dcat::ACCESS_URL, url.clone());
        out.add(s, dcat::DOWNLOAD_URL, url);
        out.typed(
            s,
            dcat::MEDIA_TYPE,
            &format!("{}{}", authority::IANA_MEDIA_TYPES, kind.format.media_type),
            dcterms::MEDIA_TYPE,
        );
        out.typed(
            s,
            dcterms::FORMAT,
            &code_iri(&FILE_TYPES, kind.file_type),
            dcterms::MEDIA_TYPE_OR_EXTENT,
        );
        out.typed(
            s,
            dcat::COMPRESS_FORMAT,
            &format!("{}application/gzip", authority::IANA_MEDIA_TYPES),
            dcterms::MEDIA_TYPE,
        );
        self.file_facts(out, s, file);
    }

    /// The size and checksum of a distribution's file, as the profile wants them.
    fn file_facts(&self, out: &mut Out, s: &NamedNode, file: &File) {
        let (size_type, algorithm, checksum, name) = match self.profile {
            Profile::DcatAp3 => (
                xsd::NON_NEGATIVE_INTEGER,
                spdx::SHA256,
                &file.sha256,
                "sha256",
            ),
            Profile::DcatAp2 => (xsd::DECIMAL, spdx::SHA1, &file.sha1, "sha1"),
        };
        out.add(
            s,
            dcat::BYTE_SIZE,
            Literal::new_typed_literal(file.bytes.to_string(), size_type),
        );
        let c = iri(&format!("{}#{name}", s.as_str()));
        out.add(s, spdx::CHECKSUM, c.clone());
        out.add(&c, rdf::TYPE, spdx::CHECKSUM_CLASS);
        out.typed(
            &c,
            spdx::ALGORITHM,
            algorithm.as_str(),
            spdx::CHECKSUM_ALGORITHM,
        );
        out.add(
            &c,
            spdx::CHECKSUM_VALUE,
            Literal::new_typed_literal(checksum, xsd::HEX_BINARY),
        );
    }

    /// The Europeana records of `d`: a ZIP of RDF/XML files, one EDM record each.
    pub(super) fn europeana_distribution(
        &self,
        out: &mut Out,
        d: &Dataset,
        p: &PublishedDataset,
        file: &File,
    ) {
        let s = &self.distribution(
            out,
            d,
            p,
            "edm",
            &fr_en(
                "Notices Europeana (EDM, RDF/XML, zip)",
                "Europeana records (EDM, RDF/XML, zip)",
            ),
            &fr_en(
                "Une notice EDM par objet (edm:ProvidedCHO, ore:Aggregation, edm:WebResource), \
                 un fichier RDF/XML chacune, comme Europeana les moissonne.",
                "One EDM record per object (edm:ProvidedCHO, ore:Aggregation, edm:WebResource), \
                 one RDF/XML file each, as Europeana harvests them.",
            ),
        );
        let url = iri(&format!("{}dumps/{}", self.site, file.path));
        out.add(s, dcat::ACCESS_URL, url.clone());
        out.add(s, dcat::DOWNLOAD_URL, url);
        out.typed(
            s,
            dcat::MEDIA_TYPE,
            &format!(
                "{}{}",
                authority::IANA_MEDIA_TYPES,
                formats::RDF_XML.media_type
            ),
            dcterms::MEDIA_TYPE,
        );
        out.typed(
            s,
            dcterms::FORMAT,
            &code_iri(&FILE_TYPES, "RDF_XML"),
            dcterms::MEDIA_TYPE_OR_EXTENT,
        );
        // Several files in one archive: DCAT's package format, as the gzip of the other dumps
        // is their compression format.
        out.typed(
            s,
            dcat::PACKAGE_FORMAT,
            &format!("{}application/zip", authority::IANA_MEDIA_TYPES),
            dcterms::MEDIA_TYPE,
        );
        out.typed(s, dcterms::CONFORMS_TO, edm::NS, dcterms::STANDARD);
        self.file_facts(out, s, file);
    }

    pub(super) fn sparql_distribution(&self, out: &mut Out, d: &Dataset, p: &PublishedDataset) {
        let s = &self.distribution(
            out,
            d,
            p,
            "sparql",
            &fr_en("Point d'accès SPARQL", "SPARQL endpoint"),
            &fr_en(
                "Requêtes SPARQL 1.1 sur les données publiées, à jour à chaque publication.",
                "SPARQL 1.1 queries over the published data, current at every publication.",
            ),
        );
        out.add(s, dcat::ACCESS_URL, self.endpoint());
        let service = self.service_iri();
        out.add(s, dcat::ACCESS_SERVICE, service);
        out.typed(
            s,
            dcat::MEDIA_TYPE,
            &format!(
                "{}{}",
                authority::IANA_MEDIA_TYPES,
                formats::SPARQL_JSON.media_type
            ),
            dcterms::MEDIA_TYPE,
        );
        out.typed(
            s,
            dcterms::FORMAT,
            &code_iri(&FILE_TYPES, "SPARQLQRES"),
            dcterms::MEDIA_TYPE_OR_EXTENT,
        );
    }
}
