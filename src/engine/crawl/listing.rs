//! The files under an include path, less the excluded ones, as S3 would list them.

use super::exclude::Exclusions;
use super::{CrawlError, Stop};
use std::path::{Path, PathBuf};

/// One object under the include path.
#[derive(Debug, Clone)]
pub struct Listed {
    /// The folders between the include path and the file.
    pub folders: Vec<String>,
    pub file_name: String,
    pub path: PathBuf,
    pub size: u64,
}

impl Listed {
    /// The key relative to the include path, `/`-separated.
    pub fn relative(&self) -> String {
        let mut key = self.folders.join("/");
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str(&self.file_name);
        key
    }
}

/// Hadoop's hidden files (`_SUCCESS`, `_temporary/`, `.part-0.crc`) and the console's folder markers
/// hold no data: Spark, Athena and Glue's readers skip them, so the crawl does too.
fn hidden(name: &str) -> bool {
    name.starts_with('_') || name.starts_with('.') || name.ends_with("_$folder$")
}

/// The files under `root` (a folder, or one file), sorted by key. Symbolic links are not followed:
/// a crawl reads only what lies under the s3 dir. Empty files are left out (they hold no schema).
pub fn list(root: &Path, exclusions: &Exclusions, stop: &Stop) -> Result<Vec<Listed>, CrawlError> {
    let meta = std::fs::symlink_metadata(root).map_err(|e| unreadable(root, e))?;
    if meta.is_file() {
        let file_name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let listed = Listed {
            folders: Vec::new(),
            file_name,
            path: root.to_path_buf(),
            size: meta.len(),
        };
        return Ok(if meta.len() > 0 { vec![listed] } else { Vec::new() });
    }
    if !meta.is_dir() {
        return Err(CrawlError::Failed(format!(
            "{} is not a folder or a file",
            root.display()
        )));
    }
    let mut files = Vec::new();
    let mut pending = vec![(root.to_path_buf(), Vec::<String>::new())];
    while let Some((dir, folders)) = pending.pop() {
        stop.check()?;
        let entries = std::fs::read_dir(&dir).map_err(|e| unreadable(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| unreadable(&dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if hidden(&name) {
                continue;
            }
            let file_type = entry.file_type().map_err(|e| unreadable(&entry.path(), e))?;
            if file_type.is_dir() {
                let mut sub = folders.clone();
                sub.push(name);
                pending.push((entry.path(), sub));
            } else if file_type.is_file() {
                let listed = Listed {
                    folders: folders.clone(),
                    file_name: name,
                    path: entry.path(),
                    size: entry.metadata().map_err(|e| unreadable(&entry.path(), e))?.len(),
                };
                if listed.size > 0 && !exclusions.excludes(&listed.relative()) {
                    files.push(listed);
                }
            }
        }
    }
    files.sort_by_key(Listed::relative);
    Ok(files)
}

fn unreadable(path: &Path, e: std::io::Error) -> CrawlError {
    match e.kind() {
        std::io::ErrorKind::NotFound => CrawlError::Failed(format!("{} does not exist", path.display())),
        _ => CrawlError::Failed(format!("{} cannot be read: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::temp_tree;
    use super::*;

    #[test]
    fn lists_data_files_sorted_without_hidden_empty_or_excluded_ones() {
        let root = temp_tree(
            "listing",
            &[
                ("b/2.csv", "x"),
                ("a/1.csv", "x"),
                ("a/_SUCCESS", ""),
                ("a/.1.csv.crc", "x"),
                ("_temporary/0/x.csv", "x"),
                ("a/empty.csv", ""),
                ("c/skip.txt", "x"),
                ("top.json", "{}"),
            ],
        );
        let exclusions = Exclusions::new(&["**.txt".to_string()]).unwrap();
        let keys: Vec<String> = list(&root, &exclusions, &Stop::never())
            .unwrap()
            .iter()
            .map(Listed::relative)
            .collect();
        assert_eq!(keys, ["a/1.csv", "b/2.csv", "top.json"]);
    }

    #[test]
    fn a_missing_folder_fails_the_crawl() {
        let root = temp_tree("listing-missing", &[]);
        let err = list(&root.join("none"), &Exclusions::default(), &Stop::never()).unwrap_err();
        assert!(matches!(err, CrawlError::Failed(m) if m.ends_with("none does not exist")));
    }

    #[test]
    fn an_include_path_may_name_one_file() {
        let root = temp_tree("listing-file", &[("d/f.csv", "a,b")]);
        let files = list(&root.join("d/f.csv"), &Exclusions::default(), &Stop::never()).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].relative(), "f.csv");
    }
}
