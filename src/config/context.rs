//! What validation reads besides the file: where the file is, and the environment.

use std::path::PathBuf;

use super::env;

pub(super) struct Context<'a> {
    /// The config file's folder, against which relative paths in it resolve.
    pub dir: PathBuf,
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

impl Context<'_> {
    /// `text` with every `${VAR}` replaced from the environment.
    pub fn expand(&self, text: &str) -> Result<String, String> {
        env::expand(text, self.env)
    }

    /// The file a key names: `${VAR}` expanded (so that `"${CREDENTIALS_DIRECTORY}/teams"` finds
    /// systemd's credentials), a relative path taken from the config file's folder.
    pub fn path(&self, name: &str) -> Result<PathBuf, String> {
        // `join` keeps an absolute path as it is.
        Ok(self.dir.join(self.expand(name)?))
    }
}
