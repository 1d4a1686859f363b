//! The web console: a single-page app under `/_glue_local/ui/`, built by Vite from `console/`
//! into `console/dist/` (committed) and compiled into the binary, so it works offline and needs
//! no set-up. The pages need no authentication; the Glue calls they make are signed in the
//! browser and authorized like any other client's.

use crate::protocol::response::Body;
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use hyper::{Response, StatusCode};

/// One embedded file of `console/dist/`.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $content_type:literal) => {
        Asset {
            path: $path,
            content_type: $content_type,
            bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/console/dist/", $path)),
        }
    };
}

/// Every file of `console/dist/` (Vite writes fixed names; a test checks this list against the folder).
const ASSETS: &[Asset] = &[
    asset!("index.html", "text/html; charset=utf-8"),
    asset!("assets/app.js", "text/javascript; charset=utf-8"),
    asset!("assets/app.css", "text/css; charset=utf-8"),
];

/// The page may talk only to this server and load only its own files.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Answers `GET /_glue_local/<name>` for `name` = `ui`, `ui/` or `ui/<file>`.
pub fn serve(name: &str) -> Response<Body> {
    let file = match name {
        "ui" | "ui/" => Some("index.html"),
        _ => name.strip_prefix("ui/"),
    };
    match file.and_then(|f| ASSETS.iter().find(|a| a.path == f)) {
        Some(asset) => {
            let mut response = Response::new(Full::new(Bytes::from_static(asset.bytes)));
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
            headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
            if asset.path == "index.html" {
                headers.insert("content-security-policy", HeaderValue::from_static(CSP));
            }
            response
        }
        None => {
            let mut response = Response::new(Full::new(Bytes::from(format!(
                "no console file /_glue_local/{name}; the console is at /_glue_local/ui/\n"
            ))));
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;
    use std::path::Path;

    fn body(response: Response<Body>) -> Bytes {
        let collected = futures_block_on(response.into_body().collect());
        collected.unwrap().to_bytes()
    }

    fn futures_block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn index_is_served_for_ui_and_ui_slash() {
        for name in ["ui", "ui/", "ui/index.html"] {
            let r = serve(name);
            assert_eq!(r.status(), StatusCode::OK, "{name}");
            assert_eq!(r.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
            assert!(r.headers().contains_key("content-security-policy"));
            let html = String::from_utf8(body(r).to_vec()).unwrap();
            assert!(html.contains("/_glue_local/ui/assets/app.js"), "{html}");
        }
    }

    #[test]
    fn assets_have_their_content_types() {
        assert_eq!(
            serve("ui/assets/app.js").headers()[CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            serve("ui/assets/app.css").headers()[CONTENT_TYPE],
            "text/css; charset=utf-8"
        );
    }

    #[test]
    fn unknown_files_are_not_found() {
        for name in ["ui/nope.js", "uix", "ui/../health", "ui/assets/"] {
            assert_eq!(serve(name).status(), StatusCode::NOT_FOUND, "{name}");
        }
    }

    fn files(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                files(&entry.path(), &format!("{name}/"), out);
            } else {
                out.push(name);
            }
        }
    }

    /// `console/dist/index.html` names the hash of the sources it was built from (vite.config.ts
    /// computes it the same way): an edit to `console/` without a rebuild fails here.
    #[test]
    fn console_dist_is_built_from_the_current_sources() {
        use sha2::{Digest, Sha256};
        let console = Path::new(env!("CARGO_MANIFEST_DIR")).join("console");
        let mut sources: Vec<String> = [
            "index.html",
            "package.json",
            "package-lock.json",
            "tsconfig.json",
            "vite.config.ts",
        ]
        .iter()
        .map(|f| f.to_string())
        .collect();
        let mut src = Vec::new();
        files(&console.join("src"), "src/", &mut src);
        sources.extend(src);
        sources.sort();
        let mut hash = Sha256::new();
        for file in &sources {
            hash.update(file.as_bytes());
            hash.update([0]);
            hash.update(std::fs::read(console.join(file)).unwrap());
            hash.update([0]);
        }
        let want = format!(
            r#"<meta name="glue-local-console-source" content="{}">"#,
            hex::encode(hash.finalize())
        );
        let html = std::str::from_utf8(ASSETS[0].bytes).unwrap();
        assert!(
            html.contains(&want),
            "console/dist is stale: rebuild it with `npm ci && npm run build` in console/ (wanted {want})"
        );
    }

    /// A rebuilt console with a new file (a lazily loaded chunk, an image) must be added to ASSETS.
    #[test]
    fn every_file_of_console_dist_is_embedded() {
        let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("console/dist");
        let mut on_disk = Vec::new();
        files(&dist, "", &mut on_disk);
        on_disk.sort();
        let mut embedded: Vec<String> = ASSETS.iter().map(|a| a.path.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded, "console/dist and console::ASSETS differ");
        assert!(
            !on_disk.iter().any(|f| f.ends_with(".map")),
            "no source maps in console/dist"
        );
    }
}
