//! What the benches share: where the feed corpus is, and which of its files are large enough to
//! measure parse throughput on.
//!
//! Each bench target is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The largest real-world captures of the shared corpus (see its README): four 1.3–2.5 MB blogs
/// (RSS and Atom, full HTML content) and a 730-item podcast feed.
pub const LARGE_FEEDS: [&str; 5] = [
    "fastfeedparser/benchmark_data/6d28cf55da15a12d",
    "fastfeedparser/benchmark_data/dbd9c7a29dcccb19",
    "fastfeedparser/benchmark_data/ad1318939eb69cf1",
    "fastfeedparser/benchmark_data/01b5e6081cb62f3d",
    "rss-parser/test/input/giantbomb-podcast.rss",
];

/// The corpus folder: `FEEDHOOK_CORPUS`, else `../shared/corpus` beside the crate (the main
/// checkout), else `../../shared/corpus` (a worktree under `wt/`). `None` when none holds a
/// `MANIFEST.tsv`, so that the benches that need it are skipped rather than failed.
pub fn corpus_dir() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = match std::env::var_os("FEEDHOOK_CORPUS") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => vec![
            manifest.join("../shared/corpus"),
            manifest.join("../../shared/corpus"),
        ],
    };
    let found = candidates
        .into_iter()
        .find(|dir| dir.join("MANIFEST.tsv").is_file());
    if found.is_none() {
        eprintln!("note: no feed corpus found (set FEEDHOOK_CORPUS); skipping the corpus benches");
    }
    found
}

/// A corpus file with a short label for the bench id.
pub struct CorpusFile {
    pub label: String,
    /// The URL the body is parsed as if fetched from (relative links resolve against it).
    pub url: String,
    pub body: Vec<u8>,
}

/// The large feeds that exist in the corpus, read into memory.
pub fn large_feeds() -> Vec<CorpusFile> {
    let Some(corpus) = corpus_dir() else {
        return Vec::new();
    };
    LARGE_FEEDS
        .iter()
        .filter_map(|path| {
            let body = std::fs::read(corpus.join(path)).ok()?;
            let label = path.rsplit('/').next().unwrap_or(path).to_owned();
            Some(CorpusFile {
                label,
                url: format!("https://corpus.example/{path}"),
                body,
            })
        })
        .collect()
}
