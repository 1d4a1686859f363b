//! What a crawler reads of each file, and which built-in classifier recognises it.
//!
//! As the Glue guide says: Parquet's schema is read from the footer; a CSV file's first 1,000
//! records or first megabyte, whichever comes first; a JSON file's first megabyte, then up to
//! 10 MB when no whole record is in it.

use super::listing::Listed;
use super::{csv, json, parquet, CrawlError, Format, Sampled};
use std::io::Read;

pub const MAX_RECORDS: usize = 1000;
const FIRST_READ: u64 = 1 << 20;
const LONGEST_READ: u64 = 10 << 20;

/// The beginning of a text file, cut after its last whole line unless it is the whole file.
pub struct Sample {
    pub text: String,
    /// The bytes `text` came from, and the file's size.
    read: u64,
    size: u64,
}

impl Sample {
    #[cfg(test)]
    pub fn whole(text: String) -> Sample {
        let size = text.len() as u64;
        Sample { text, read: size, size }
    }

    pub fn is_whole(&self) -> bool {
        self.read >= self.size
    }

    /// The file's records, from the `n` in the sample: exact for a whole file, else estimated from the
    /// sample's average record size (Glue's `recordCount` is such an estimate too).
    pub fn records(&self, n: usize) -> u64 {
        if self.is_whole() || self.read == 0 {
            n as u64
        } else {
            (n as u64).saturating_mul(self.size) / self.read
        }
    }
}

/// Classifies one file with the built-in classifiers, in Glue's order (Parquet, JSON, CSV); a file
/// none recognises is `UNKNOWN`. A file that cannot be read, or a Parquet file whose footer is
/// damaged, fails the crawl.
pub fn classify(file: &Listed) -> Result<Sampled, CrawlError> {
    let unreadable = |e: std::io::Error| CrawlError::Failed(format!("{} cannot be read: {e}", file.path.display()));
    let mut f = std::fs::File::open(&file.path).map_err(unreadable)?;
    let mut head = Vec::new();
    (&mut f).take(FIRST_READ).read_to_end(&mut head).map_err(unreadable)?;
    if head.starts_with(b"PAR1") {
        return parquet::classify(f)
            .map_err(|e| CrawlError::Failed(format!("{} is not a readable Parquet file: {e}", file.path.display())));
    }
    let Some(sample) = text_sample(head.clone(), file.size) else {
        return Ok(Sampled::unknown());
    };
    if let Some(sampled) = json::classify(&sample) {
        return Ok(sampled);
    }
    if !sample.is_whole() && sample.text.trim_start().starts_with('{') {
        // One JSON document longer than the first read: read on, up to 10 MB.
        f.take(LONGEST_READ - head.len() as u64)
            .read_to_end(&mut head)
            .map_err(unreadable)?;
        let longer = text_sample(head, file.size);
        return Ok(longer.and_then(|s| json::classify(&s)).unwrap_or_else(Sampled::unknown));
    }
    Ok(csv::classify(&sample).unwrap_or_else(Sampled::unknown))
}

/// The bytes as text, or `None` for binary content (compressed files among it: glue-local does not
/// decompress).
fn text_sample(mut bytes: Vec<u8>, size: u64) -> Option<Sample> {
    if (bytes.len() as u64) < size {
        if let Some(end) = bytes.iter().rposition(|&b| b == b'\n') {
            bytes.truncate(end + 1);
        }
    }
    let read = bytes.len() as u64;
    if bytes.contains(&0) {
        return None;
    }
    let text = String::from_utf8(bytes).ok()?;
    Some(Sample { text, read, size })
}

impl Sampled {
    fn unknown() -> Sampled {
        Sampled {
            format: Format::Unknown,
            columns: Vec::new(),
            records: 0,
        }
    }
}
