//! Stage 3½ — community exports: the published data in the formats of the communities that
//! aggregate it, beside the catalogue ([`crate::catalog`]) and, like it, read from the published
//! view through [`crate::store::Store`] only.
//!
//! [`edm`] writes Europeana's EDM records (a dump per dataset, written at publication) and
//! [`oai_dc`] the Dublin Core records every OAI-PMH repository serves; the server's `/oai`
//! endpoint offers both.

pub mod edm;
pub mod oai_dc;
