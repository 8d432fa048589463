//! A minimal, deterministic ZIP writer: what Europeana's Metis ingests is a ZIP of RDF/XML
//! files, and a dozen header fields do not justify a dependency. Entries are deflated, dated
//! 1980-01-01 (the format's epoch: the bytes depend on the records only) and named in UTF-8.
//! Past 65,535 entries the archive ends with the ZIP64 records that lift the limit; a single
//! entry or offset past 4 GiB is refused (records are a few kilobytes).

use flate2::Compression;
use flate2::write::DeflateEncoder;
use std::io::{self, Write};

/// 1980-01-01 00:00 in MS-DOS date and time.
const DOS_DATE: u16 = (1 << 5) | 1;
const DOS_TIME: u16 = 0;
/// Bit 11: names are UTF-8.
const UTF8: u16 = 1 << 11;
const DEFLATE: u16 = 8;
/// Version 2.0 (deflate); 4.5 for ZIP64.
const VERSION: u16 = 20;
const VERSION_ZIP64: u16 = 45;

pub struct ZipWriter<W: Write> {
    out: W,
    offset: u64,
    central: Vec<u8>,
    entries: u64,
}

fn too_large() -> io::Error {
    io::Error::other("a ZIP entry or offset past 4 GiB")
}

fn u32_of(n: u64) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| too_large())
}

impl<W: Write> ZipWriter<W> {
    pub fn new(out: W) -> Self {
        Self {
            out,
            offset: 0,
            central: Vec::new(),
            entries: 0,
        }
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.offset += bytes.len() as u64;
        Ok(())
    }

    /// Adds the file `name` holding `data`.
    pub fn add(&mut self, name: &str, data: &[u8]) -> io::Result<()> {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let mut deflate = DeflateEncoder::new(Vec::new(), Compression::default());
        deflate.write_all(data)?;
        let compressed = deflate.finish()?;
        let name_len = u16::try_from(name.len()).map_err(|_| io::Error::other("a long name"))?;
        let offset = u32_of(self.offset)?;
        let (csize, usize_) = (u32_of(compressed.len() as u64)?, u32_of(data.len() as u64)?);
        let mut local = Vec::with_capacity(30 + name.len());
        local.extend(0x0403_4b50_u32.to_le_bytes());
        for v in [VERSION, UTF8, DEFLATE, DOS_TIME, DOS_DATE] {
            local.extend(v.to_le_bytes());
        }
        for v in [crc.sum(), csize, usize_] {
            local.extend(v.to_le_bytes());
        }
        local.extend(name_len.to_le_bytes());
        local.extend(0_u16.to_le_bytes());
        local.extend(name.as_bytes());
        self.put(&local)?;
        self.put(&compressed)?;

        let c = &mut self.central;
        c.extend(0x0201_4b50_u32.to_le_bytes());
        for v in [VERSION, VERSION, UTF8, DEFLATE, DOS_TIME, DOS_DATE] {
            c.extend(v.to_le_bytes());
        }
        for v in [crc.sum(), csize, usize_] {
            c.extend(v.to_le_bytes());
        }
        // Name length, extra length, comment length, disk, internal attributes.
        for v in [name_len, 0, 0, 0, 0] {
            c.extend(v.to_le_bytes());
        }
        // External attributes, then where the local header is.
        for v in [0, offset] {
            c.extend(v.to_le_bytes());
        }
        c.extend(name.as_bytes());
        self.entries += 1;
        Ok(())
    }

    /// Writes the central directory and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        let start = self.offset;
        let central = std::mem::take(&mut self.central);
        self.put(&central)?;
        let size = central.len() as u64;
        let zip64 = self.entries > 0xFFFF;
        if zip64 {
            let end = self.offset;
            let mut record = Vec::with_capacity(56 + 20);
            record.extend(0x0606_4b50_u32.to_le_bytes());
            record.extend(44_u64.to_le_bytes());
            for v in [VERSION_ZIP64, VERSION_ZIP64] {
                record.extend(v.to_le_bytes());
            }
            record.extend(0_u32.to_le_bytes());
            record.extend(0_u32.to_le_bytes());
            for v in [self.entries, self.entries, size, start] {
                record.extend(v.to_le_bytes());
            }
            // The locator of the record above.
            record.extend(0x0706_4b50_u32.to_le_bytes());
            record.extend(0_u32.to_le_bytes());
            record.extend(end.to_le_bytes());
            record.extend(1_u32.to_le_bytes());
            self.put(&record)?;
        }
        let count = if zip64 { 0xFFFF } else { self.entries as u16 };
        let mut end = Vec::with_capacity(22);
        end.extend(0x0605_4b50_u32.to_le_bytes());
        for v in [0_u16, 0, count, count] {
            end.extend(v.to_le_bytes());
        }
        end.extend(u32_of(size)?.to_le_bytes());
        end.extend(u32_of(start)?.to_le_bytes());
        end.extend(0_u16.to_le_bytes());
        self.put(&end)?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::ZipWriter;
    use std::io::Write;

    /// The archive read back by hand: each local header's name and inflated content.
    fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let le16 = |at: usize| u16::from_le_bytes([zip[at], zip[at + 1]]) as usize;
        let le32 = |at: usize| u32::from_le_bytes(zip[at..at + 4].try_into().unwrap()) as usize;
        let end = zip.len() - 22;
        assert_eq!(le32(end), 0x0605_4b50);
        let (count, mut at) = (le16(end + 10), le32(end + 16));
        let mut out = Vec::new();
        for _ in 0..count {
            assert_eq!(le32(at), 0x0201_4b50);
            let (csize, name_len, local) = (le32(at + 20), le16(at + 28), le32(at + 42));
            let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
            let data = local + 30 + le16(local + 26);
            let mut inflated = Vec::new();
            let mut d = flate2::write::DeflateDecoder::new(&mut inflated);
            d.write_all(&zip[data..data + csize]).unwrap();
            d.finish().unwrap();
            let mut crc = flate2::Crc::new();
            crc.update(&inflated);
            assert_eq!(crc.sum() as usize, le32(at + 16));
            out.push((name, inflated));
            at += 46 + name_len;
        }
        out
    }

    #[test]
    fn entries_read_back_and_bytes_are_stable() {
        let write = || {
            let mut zip = ZipWriter::new(Vec::new());
            zip.add("a.xml", b"<a/>").unwrap();
            zip.add("b%2Fc.xml", &b"x".repeat(10_000)).unwrap();
            zip.finish().unwrap()
        };
        let bytes = write();
        assert_eq!(bytes, write());
        let read = entries(&bytes);
        assert_eq!(read[0], ("a.xml".to_owned(), b"<a/>".to_vec()));
        assert_eq!(read[1].0, "b%2Fc.xml");
        assert_eq!(read[1].1.len(), 10_000);
    }
}
