//! The write-ahead journal's file format: a header `GLJRNL<version>\n`, then records
//! appended as `[u32 length][u32 crc32][payload]` (little endian).
//!
//! A crash mid-append leaves a torn last record, which is dropped. Only the last
//! record can be torn: one whose declared length is plausible (at most
//! [`MAX_RECORD_BYTES`]) and runs past the end of the file, or that ends the file
//! with a bad checksum, and whose bytes hold no whole record (else the length
//! field itself is damaged and records follow it). Anything else is damage, and
//! start-up stops with the file and the offset.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The format written; files of a newer one are refused. Version 1 (the first) had
/// the same framing with whole-region records only.
pub const VERSION: u32 = 2;
const MAGIC_PREFIX: &[u8] = b"GLJRNL";
const FRAME_HEADER: usize = 8;
/// No record is larger; a declared length above it is damage, not a torn append.
pub const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

fn magic() -> Vec<u8> {
    format!("GLJRNL{VERSION}\n").into_bytes()
}

/// What reading a journal found, besides its records.
#[derive(Debug, Default)]
pub struct Scan {
    /// Bytes of the file that hold whole records (where appending continues).
    pub valid_len: u64,
    /// Set when a torn last record was dropped.
    pub torn_tail: Option<String>,
    /// The format version of the header (0 for an empty file).
    pub version: u32,
}

/// Why a journal cannot be replayed.
#[derive(Debug)]
pub enum ReadError {
    /// Its bytes are damaged (the message names the offset).
    Damaged(String),
    /// It cannot be read, it is not a journal this glue-local reads, or `each` refused a record.
    Unreadable(String),
}

/// Hands every whole record of the journal at `path` to `each`, in order, reading
/// the file record by record (a missing file is empty).
pub fn read_each(path: &Path, each: impl FnMut(&[u8]) -> Result<(), String>) -> Result<Scan, ReadError> {
    let unreadable = |e: std::io::Error| ReadError::Unreadable(format!("cannot read {}: {e}", path.display()));
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Scan::default()),
        Err(e) => return Err(ReadError::Unreadable(format!("cannot open {}: {e}", path.display()))),
    };
    let size = file.metadata().map_err(unreadable)?.len();
    scan(BufReader::with_capacity(1 << 20, file), size, each).map_err(|e| match e {
        ReadError::Damaged(m) => ReadError::Damaged(format!("{}: {m}", path.display())),
        ReadError::Unreadable(m) => ReadError::Unreadable(format!("{}: {m}", path.display())),
    })
}

/// The header's length and version.
fn header(bytes: &[u8]) -> Result<Option<(usize, u32)>, ReadError> {
    let Some(end) = bytes.iter().take(16).position(|b| *b == b'\n') else {
        return if bytes.len() < 16 && MAGIC_PREFIX.starts_with(&bytes[..bytes.len().min(MAGIC_PREFIX.len())]) {
            Ok(None) // torn while the header was written
        } else {
            Err(ReadError::Damaged(
                "not a glue-local journal at byte 0 (bad magic)".into(),
            ))
        };
    };
    let version = bytes[..end]
        .strip_prefix(MAGIC_PREFIX)
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.parse::<u32>().ok())
        .ok_or_else(|| ReadError::Damaged("not a glue-local journal at byte 0 (bad magic)".into()))?;
    if version > VERSION {
        return Err(ReadError::Unreadable(format!(
            "written by a newer glue-local (journal format {version}; this one reads formats up to {VERSION}): \
             upgrade glue-local or use another --state-dir"
        )));
    }
    Ok(Some((end + 1, version)))
}

/// The frame at the start of `bytes`, if it is whole and its checksum holds.
fn whole_frame(bytes: &[u8]) -> Option<&[u8]> {
    let len = u32::from_le_bytes(bytes.get(0..4)?.try_into().ok()?) as usize;
    let crc = u32::from_le_bytes(bytes.get(4..8)?.try_into().ok()?);
    let payload = bytes.get(FRAME_HEADER..FRAME_HEADER.checked_add(len)?)?;
    (len > 0 && crc32fast::hash(payload) == crc).then_some(payload)
}

/// Whether a whole record starts anywhere in `bytes`: then they are not a torn append.
fn holds_a_record(bytes: &[u8]) -> bool {
    (1..bytes.len()).any(|at| whole_frame(&bytes[at..]).is_some())
}

/// Reads the `size` bytes of a journal from `file`, holding one record at a time
/// (and, to tell a torn tail from damage, the last record's bytes).
fn scan(file: impl Read, size: u64, mut each: impl FnMut(&[u8]) -> Result<(), String>) -> Result<Scan, ReadError> {
    let mut scan = Scan::default();
    if size == 0 {
        return Ok(scan);
    }
    let io = |e: std::io::Error| ReadError::Unreadable(e.to_string());
    let mut file = file.take(size);
    let mut head = vec![0; size.min(16) as usize];
    file.read_exact(&mut head).map_err(io)?;
    let Some((header_len, version)) = header(&head)? else {
        scan.torn_tail = Some("the journal header is incomplete".into());
        return Ok(scan);
    };
    scan.version = version;
    let mut file = (&head[header_len..]).chain(file);
    let mut at = header_len as u64;
    let mut frame = Vec::new();
    while at < size {
        let left = size - at;
        let torn = |why: String| Some(format!("dropped a torn last record at byte {at}: {why}"));
        let damaged = |why: String| {
            Err(ReadError::Damaged(format!(
                "the journal is corrupt at byte {at}: {why}"
            )))
        };
        if left < FRAME_HEADER as u64 {
            scan.torn_tail = torn(format!("{left} header bytes of {FRAME_HEADER}"));
            break;
        }
        frame.resize(FRAME_HEADER, 0);
        file.read_exact(&mut frame).map_err(io)?;
        let len = u32::from_le_bytes(frame[0..4].try_into().unwrap()) as usize;
        let crc = u32::from_le_bytes(frame[4..8].try_into().unwrap());
        if len > MAX_RECORD_BYTES {
            return damaged(format!("a record length of {len} bytes (at most {MAX_RECORD_BYTES})"));
        }
        let whole = (FRAME_HEADER + len) as u64;
        if left < whole {
            file.read_to_end(&mut frame).map_err(io)?; // the rest, shorter than this record
            if holds_a_record(&frame) {
                return damaged(format!(
                    "a record length of {len} bytes runs past the end, over whole records"
                ));
            }
            scan.torn_tail = torn(format!("{} of {len} payload bytes", left - FRAME_HEADER as u64));
            break;
        }
        frame.resize(FRAME_HEADER + len, 0);
        file.read_exact(&mut frame[FRAME_HEADER..]).map_err(io)?;
        let payload = &frame[FRAME_HEADER..];
        if crc32fast::hash(payload) != crc {
            if left == whole && !holds_a_record(&frame) {
                scan.torn_tail = torn("checksum mismatch in the last record".into());
                break;
            }
            return damaged("checksum mismatch in a record that is not the last one".into());
        }
        each(payload).map_err(ReadError::Unreadable)?;
        at += whole;
    }
    scan.valid_len = at;
    Ok(scan)
}

/// An open journal that records are appended to.
pub struct Journal {
    path: PathBuf,
    file: Mutex<Open>,
}

struct Open {
    file: File,
    /// Bytes of whole records: where the next one goes, and where a failed one is cut back to.
    len: u64,
}

fn fresh(path: &Path) -> Result<File, String> {
    let io = |e: std::io::Error| format!("cannot create {}: {e}", path.display());
    let mut file = File::create(path).map_err(io)?;
    file.write_all(&magic()).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(file)
}

impl Journal {
    /// Opens `path` for appending after its `valid_len` whole bytes (dropping a torn tail).
    pub fn open(path: &Path, valid_len: u64) -> Result<Journal, String> {
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let io = |e: std::io::Error| format!("{}: {e}", path.display());
        let header = magic();
        let len = if valid_len < header.len() as u64 {
            file.set_len(0).map_err(io)?;
            file.write_all(&header).map_err(io)?;
            file.sync_all().map_err(io)?;
            header.len() as u64
        } else {
            file.set_len(valid_len).map_err(io)?;
            valid_len
        };
        file.seek(SeekFrom::Start(len)).map_err(io)?;
        Ok(Journal {
            path: path.to_path_buf(),
            file: Mutex::new(Open { file, len }),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        self.file.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends one record with a single write: once this returns, the record
    /// survives the process being killed (the kernel has it). When the write fails
    /// (a full disk), the journal is cut back to its last whole record.
    pub fn append(&self, payload: &[u8]) -> Result<(), String> {
        if payload.len() > MAX_RECORD_BYTES {
            return Err(format!(
                "a record of {} bytes is larger than the journal allows ({MAX_RECORD_BYTES})",
                payload.len()
            ));
        }
        let mut frame = Vec::with_capacity(FRAME_HEADER + payload.len());
        frame.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        frame.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
        frame.extend_from_slice(payload);
        let mut open = self.lock();
        match open.file.write_all(&frame) {
            Ok(()) => {
                open.len += frame.len() as u64;
                Ok(())
            }
            Err(e) => {
                let len = open.len;
                let cut = open
                    .file
                    .set_len(len)
                    .and_then(|()| open.file.seek(SeekFrom::Start(len)));
                if let Err(cut) = cut {
                    tracing::error!(
                        "cannot cut {} back to its last whole record: {cut}",
                        self.path.display()
                    );
                }
                Err(format!("cannot append to {}: {e}", self.path.display()))
            }
        }
    }

    /// Bytes in the journal now.
    pub fn len(&self) -> u64 {
        self.lock().len
    }

    /// Moves the journal's records to `old` and continues in a fresh file, so that a
    /// snapshot can be taken while appends go on. The fresh file is made first, so a
    /// failure (a full disk) leaves the journal as it was.
    pub fn rotate(&self, old: &Path) -> Result<(), String> {
        let mut open = self.lock();
        let next = self.path.with_extension("new");
        let file = fresh(&next)?;
        let io = |e: std::io::Error| format!("cannot rotate {}: {e}", self.path.display());
        std::fs::rename(&self.path, old).map_err(io)?;
        std::fs::rename(&next, &self.path).map_err(io)?;
        *open = Open {
            file,
            len: magic().len() as u64,
        };
        Ok(())
    }

    /// Starts the journal afresh (after a snapshot holds everything it had).
    pub fn truncate(&self) -> Result<(), String> {
        let mut open = self.lock();
        let io = |e: std::io::Error| format!("{}: {e}", self.path.display());
        let header = magic();
        open.file.set_len(0).map_err(io)?;
        open.file.seek(SeekFrom::Start(0)).map_err(io)?;
        open.file.write_all(&header).map_err(io)?;
        open.file.sync_all().map_err(io)?;
        open.len = header.len() as u64;
        Ok(())
    }
}

/// Writes `path` atomically: a temporary file that `write` fills (through a buffer),
/// fsync, rename, fsync of the folder.
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), String>,
) -> Result<(), String> {
    let tmp = path.with_extension("tmp");
    let io = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let written = File::create(&tmp).map_err(io).and_then(|f| {
        let mut buffered = BufWriter::with_capacity(1 << 20, f);
        write(&mut buffered).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let f = buffered.into_inner().map_err(|e| io(e.into_error()))?;
        f.sync_all().map_err(io)
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp); // a full disk: give the space back
        return Err(e);
    }
    std::fs::rename(&tmp, path).map_err(io)?;
    if let Some(dir) = path.parent() {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
        write_atomically_with(path, |w| w.write_all(bytes).map_err(|e| e.to_string()))
    }

    #[derive(Debug)]
    struct Replay {
        records: Vec<Vec<u8>>,
        valid_len: u64,
        torn_tail: Option<String>,
        version: u32,
    }

    fn read(path: &Path) -> Result<Replay, ReadError> {
        let mut records = Vec::new();
        let scan = read_each(path, |r| {
            records.push(r.to_vec());
            Ok(())
        })?;
        Ok(Replay {
            records,
            valid_len: scan.valid_len,
            torn_tail: scan.torn_tail,
            version: scan.version,
        })
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("glue-local-journal-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("journal")
    }

    fn damaged(path: &Path) -> String {
        match read(path) {
            Err(ReadError::Damaged(m)) => m,
            other => panic!("expected damage, got {other:?}"),
        }
    }

    #[test]
    fn records_round_trip() {
        let path = temp("round");
        let j = Journal::open(&path, 0).unwrap();
        j.append(b"one").unwrap();
        j.append(b"").unwrap();
        j.append(&[7u8; 1000]).unwrap();
        let r = read(&path).unwrap();
        assert_eq!(r.records, vec![b"one".to_vec(), vec![], vec![7u8; 1000]]);
        assert!(r.torn_tail.is_none());
        assert_eq!(r.version, VERSION);
        assert_eq!(r.valid_len, j.len());
        assert!(std::fs::read(&path).unwrap().starts_with(b"GLJRNL2\n"));
    }

    #[test]
    fn torn_tail_is_dropped_and_appending_continues() {
        let path = temp("torn");
        let j = Journal::open(&path, 0).unwrap();
        j.append(b"kept").unwrap();
        j.append(b"{\"a torn record\":1}").unwrap();
        drop(j);
        let full = std::fs::read(&path).unwrap();
        for cut in 1..(FRAME_HEADER + 19) {
            std::fs::write(&path, &full[..full.len() - cut]).unwrap();
            let r = read(&path).unwrap();
            assert_eq!(r.records, vec![b"kept".to_vec()], "cut {cut}");
            assert!(r.torn_tail.is_some(), "cut {cut}");
        }
        let r = read(&path).unwrap();
        let j = Journal::open(&path, r.valid_len).unwrap();
        j.append(b"after").unwrap();
        assert_eq!(read(&path).unwrap().records, vec![b"kept".to_vec(), b"after".to_vec()]);
    }

    #[test]
    fn damaged_last_payload_is_torn_but_damage_before_it_is_corruption() {
        let path = temp("damage");
        let j = Journal::open(&path, 0).unwrap();
        j.append(b"first").unwrap();
        j.append(b"second").unwrap();
        drop(j);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read(&path).unwrap().records, vec![b"first".to_vec()]);
        bytes[last] ^= 1;
        bytes[magic().len() + FRAME_HEADER] ^= 1; // inside "first"
        std::fs::write(&path, &bytes).unwrap();
        assert!(damaged(&path).contains(&format!("byte {}", magic().len())));
        std::fs::write(&path, b"something else entirely").unwrap();
        assert!(damaged(&path).contains("magic"));
    }

    #[test]
    fn a_damaged_length_mid_journal_is_not_a_torn_tail() {
        let path = temp("length");
        let j = Journal::open(&path, 0).unwrap();
        for i in 0..5 {
            j.append(format!("{{\"record\":{i}}}").as_bytes()).unwrap();
        }
        drop(j);
        let good = std::fs::read(&path).unwrap();
        let second = magic().len() + FRAME_HEADER + 12;
        // Implausible: larger than any record.
        let mut bytes = good.clone();
        bytes[second..second + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        assert!(damaged(&path).contains(&format!("byte {second}")));
        // Plausible, but running past the end over whole records.
        bytes[second..second + 4].copy_from_slice(&1000u32.to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        assert!(damaged(&path).contains("over whole records"));
        // Ending exactly at the end of the file over whole records.
        let to_end = (good.len() - second - FRAME_HEADER) as u32;
        bytes[second..second + 4].copy_from_slice(&to_end.to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        assert!(damaged(&path).contains(&format!("byte {second}")));
    }

    #[test]
    fn versions() {
        let path = temp("versions");
        // Format 1 (no change records yet) still reads.
        let mut v1 = b"GLJRNL1\n".to_vec();
        v1.extend_from_slice(&2u32.to_le_bytes());
        v1.extend_from_slice(&crc32fast::hash(b"{}").to_le_bytes());
        v1.extend_from_slice(b"{}");
        std::fs::write(&path, &v1).unwrap();
        let r = read(&path).unwrap();
        assert_eq!((r.version, r.records), (1, vec![b"{}".to_vec()]));
        std::fs::write(&path, b"GLJRNL3\n").unwrap();
        match read(&path) {
            Err(ReadError::Unreadable(m)) => assert!(m.contains("newer glue-local"), "{m}"),
            other => panic!("{other:?}"),
        }
        std::fs::write(&path, b"GLJR").unwrap();
        assert!(read(&path).unwrap().torn_tail.is_some());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_failed_append_is_cut_back_to_the_last_whole_record() {
        // /dev/full fails every write with ENOSPC, like a full disk.
        let Ok(file) = OpenOptions::new().write(true).open("/dev/full") else {
            return;
        };
        let j = Journal {
            path: PathBuf::from("/dev/full"),
            file: Mutex::new(Open { file, len: 0 }),
        };
        assert!(j.append(b"x").unwrap_err().contains("cannot append"));
        assert_eq!(j.len(), 0);
        assert!(j.append(&vec![0; MAX_RECORD_BYTES + 1]).unwrap_err().contains("larger"));
    }

    #[test]
    fn missing_file_is_empty_and_atomic_write_replaces() {
        let path = temp("missing");
        assert!(read(&path).unwrap().records.is_empty());
        write_atomically(&path.with_file_name("snap"), b"a").unwrap();
        write_atomically(&path.with_file_name("snap"), b"b").unwrap();
        assert_eq!(std::fs::read(path.with_file_name("snap")).unwrap(), b"b");
    }
}
