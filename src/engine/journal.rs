//! The write-ahead journal's file format: records appended as
//! `[u32 length][u32 crc32][payload]` (little endian) after a magic header.
//! A torn last record (a crash mid-append) is detected and dropped; damage
//! anywhere else is corruption and stops start-up.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const MAGIC: &[u8; 8] = b"GLJRNL1\n";
const HEADER: usize = 8;

/// What reading a journal found.
#[derive(Debug, Default)]
pub struct Replay {
    pub records: Vec<Vec<u8>>,
    /// Bytes of the file that hold whole records (where appending continues).
    pub valid_len: u64,
    /// Set when a torn last record was dropped.
    pub torn_tail: Option<String>,
}

/// Reads every whole record of the journal at `path` (a missing file is empty).
pub fn read(path: &Path) -> Result<Replay, String> {
    let mut bytes = Vec::new();
    match File::open(path) {
        Ok(mut f) => f
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Replay::default()),
        Err(e) => return Err(format!("cannot open {}: {e}", path.display())),
    };
    parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse(bytes: &[u8]) -> Result<Replay, String> {
    let mut replay = Replay::default();
    if bytes.is_empty() {
        return Ok(replay);
    }
    if bytes.len() < MAGIC.len() {
        replay.torn_tail = Some("the journal header is incomplete".into());
        return Ok(replay);
    }
    if &bytes[..MAGIC.len()] != MAGIC {
        return Err("not a glue-local journal (bad magic)".into());
    }
    let mut at = MAGIC.len();
    while at < bytes.len() {
        let rest = &bytes[at..];
        let torn = |why: String| Some(format!("dropped a torn last record at byte {at}: {why}"));
        if rest.len() < HEADER {
            replay.torn_tail = torn(format!("{} header bytes of {HEADER}", rest.len()));
            break;
        }
        let len = u32::from_le_bytes(rest[0..4].try_into().unwrap()) as usize;
        let crc = u32::from_le_bytes(rest[4..8].try_into().unwrap());
        if rest.len() < HEADER + len {
            replay.torn_tail = torn(format!("{} of {len} payload bytes", rest.len() - HEADER));
            break;
        }
        let payload = &rest[HEADER..HEADER + len];
        if crc32fast::hash(payload) != crc {
            if rest.len() == HEADER + len {
                replay.torn_tail = torn("checksum mismatch in the last record".into());
                break;
            }
            return Err(format!(
                "checksum mismatch in the record at byte {at}, which is not the last one: the journal is corrupt"
            ));
        }
        replay.records.push(payload.to_vec());
        at += HEADER + len;
    }
    replay.valid_len = at as u64;
    Ok(replay)
}

/// An open journal that records are appended to.
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
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
        if valid_len < MAGIC.len() as u64 {
            file.set_len(0).map_err(io)?;
            file.write_all(MAGIC).map_err(io)?;
            file.sync_all().map_err(io)?;
        } else {
            file.set_len(valid_len).map_err(io)?;
        }
        file.seek(SeekFrom::End(0)).map_err(io)?;
        Ok(Journal {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    /// Appends one record with a single write: once this returns, the record
    /// survives the process being killed (the kernel has it).
    pub fn append(&self, payload: &[u8]) -> Result<(), String> {
        let mut frame = Vec::with_capacity(HEADER + payload.len());
        frame.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        frame.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
        frame.extend_from_slice(payload);
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(&frame)
            .map_err(|e| format!("cannot append to {}: {e}", self.path.display()))
    }

    /// Bytes in the journal now.
    pub fn len(&self) -> u64 {
        let file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.metadata().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() <= MAGIC.len() as u64
    }

    /// Moves the journal's records to `old` and continues in a fresh file, so that a
    /// snapshot can be taken while appends go on.
    pub fn rotate(&self, old: &Path) -> Result<(), String> {
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let io = |e: std::io::Error| format!("cannot rotate {}: {e}", self.path.display());
        std::fs::rename(&self.path, old).map_err(io)?;
        let mut fresh = File::create(&self.path).map_err(io)?;
        fresh.write_all(MAGIC).map_err(io)?;
        fresh.sync_all().map_err(io)?;
        *file = fresh;
        Ok(())
    }

    /// Starts the journal afresh (after a snapshot holds everything it had).
    pub fn truncate(&self) -> Result<(), String> {
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let io = |e: std::io::Error| format!("{}: {e}", self.path.display());
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(MAGIC).map_err(io)?;
        file.sync_all().map_err(io)
    }
}

/// Writes `bytes` to `path` atomically: a temporary file, fsync, rename, fsync of the folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension("tmp");
    let io = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut f = File::create(&tmp).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
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

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("glue-local-journal-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("journal")
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
        assert_eq!(r.valid_len, j.len());
    }

    #[test]
    fn torn_tail_is_dropped_and_appending_continues() {
        let path = temp("torn");
        let j = Journal::open(&path, 0).unwrap();
        j.append(b"kept").unwrap();
        j.append(b"torn record").unwrap();
        drop(j);
        let full = std::fs::read(&path).unwrap();
        for cut in 1..(HEADER + 11) {
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
        bytes[MAGIC.len() + HEADER] ^= 1; // inside "first"
        std::fs::write(&path, &bytes).unwrap();
        assert!(read(&path).unwrap_err().contains("corrupt"));
        std::fs::write(&path, b"something else entirely").unwrap();
        assert!(read(&path).unwrap_err().contains("magic"));
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
