//! A digest of the work a configuration describes — its feeds and channels, not the settings that
//! may differ by host (`[store]`, `[http]`, `[fetch]`): instances sharing a database compare theirs
//! and warn when they differ.

use sha2::Digest;

use super::Config;

impl Config {
    /// 16 hex digits of a SHA-256 over the feeds (in any order) and the channels, as their `Debug`
    /// shows them: secrets redacted, so that the digest never stands for a webhook URL or token.
    #[must_use]
    pub fn digest(&self) -> String {
        let mut feeds: Vec<String> = self.feeds.iter().map(|feed| format!("{feed:?}")).collect();
        feeds.sort();
        let text = format!("{feeds:?}{:?}", self.channels);
        let digest = sha2::Sha256::digest(text.as_bytes());
        let mut first = [0; 8];
        first.copy_from_slice(&digest[..8]);
        format!("{:016x}", u64::from_be_bytes(first))
    }
}

#[cfg(test)]
mod tests;
