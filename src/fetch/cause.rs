//! Walking an error's chain of causes. reqwest's messages are layers (`error sending request for
//! url (…)`, `builder error`) around the real cause, which is what an operator needs to read.

use std::error::Error as StdError;

/// The error of type `E` somewhere in the chain. TLS failures travel inside `io::Error`s
/// (sometimes nested), whose `source()` skips the error they wrap, so each one is opened
/// explicitly.
pub(crate) fn find_in_chain<'e, E: StdError + 'static>(
    err: &'e (dyn StdError + 'static),
) -> Option<&'e E> {
    let mut current = Some(err);
    while let Some(err) = current {
        if let Some(found) = err.downcast_ref::<E>() {
            return Some(found);
        }
        current = match err
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(wrapped) => Some(wrapped as &(dyn StdError + 'static)),
            None => err.source(),
        };
    }
    None
}

/// The message of the innermost error: the cause, without the layers that only say where.
pub(super) fn root_message(err: &(dyn StdError + 'static)) -> String {
    let mut current = err;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

#[cfg(test)]
mod tests;
