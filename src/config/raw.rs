//! The file as serde reads it: every key optional and spanned, so that validation can report a missing
//! or wrong value at its line. Values are kept as written (strings, signed integers) and only given
//! meaning in [`super::validate`], which is where every problem is collected.
//!
//! Each table is deserialized on its own (see [`super::document`]), so a type error in one feed does not
//! hide the problems of the others.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use toml::Spanned;

/// `[store]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StoreRaw {
    pub path: Option<Spanned<String>>,
    pub retention: Option<Spanned<String>>,
    pub url: Option<Spanned<String>>,
    pub url_file: Option<Spanned<String>>,
    pub pool: Option<Spanned<i64>>,
    pub lease: Option<Spanned<String>>,
    pub ca_file: Option<Spanned<String>>,
}

/// `[fetch]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FetchRaw {
    pub concurrency: Option<Spanned<i64>>,
    pub per_host: Option<Spanned<i64>>,
    pub block_private_addresses: Option<Spanned<bool>>,
    pub allow_addresses: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `[http]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HttpRaw {
    pub listen: Option<Spanned<String>>,
    pub public_url: Option<Spanned<String>>,
}

/// `[delivery]`: the delivery bounds every channel starts from (see `delivery`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DeliveryRaw {
    pub timeout: Option<Spanned<String>>,
    pub max_pause: Option<Spanned<String>>,
    pub suspend_after: Option<Spanned<String>>,
}

impl DeliveryRaw {
    /// `timeout`, `max_pause` and `suspend_after`, in the order a channel lists them too.
    pub(super) fn keys(&self) -> [&Option<Spanned<String>>; 3] {
        [&self.timeout, &self.max_pause, &self.suspend_after]
    }
}

/// `[channels.NAME]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ChannelRaw {
    pub kind: Option<Spanned<String>>,
    pub url: Option<Spanned<String>>,
    pub url_file: Option<Spanned<String>>,
    pub username: Option<Spanned<String>>,
    pub icon_url: Option<Spanned<String>>,
    pub channel: Option<Spanned<String>>,
    pub template: Option<Spanned<String>>,
    pub headers: Option<Spanned<HeadersRaw>>,
    pub rate: Option<Spanned<String>>,
    pub title_prefix: Option<Spanned<String>>,
    pub hide_summary: Option<Spanned<bool>>,
    pub max_summary_chars: Option<Spanned<i64>>,
    // How the platforms that are not one webhook URL are addressed: see `channel::address`.
    pub homeserver: Option<Spanned<String>>,
    pub room: Option<Spanned<String>>,
    pub token: Option<Spanned<String>>,
    pub token_file: Option<Spanned<String>>,
    pub chat_id: Option<Spanned<IdRaw>>,
    pub message_thread_id: Option<Spanned<i64>>,
    pub api_url: Option<Spanned<String>>,
    // The relay's login (email) or the server's (ntfy).
    pub password_file: Option<Spanned<String>>,
    pub priority: Option<Spanned<i64>>,
    pub tags: Option<Spanned<StringsRaw>>,
    // How delivery is bounded: see `delivery`.
    pub timeout: Option<Spanned<String>>,
    pub max_pause: Option<Spanned<String>>,
    pub suspend_after: Option<Spanned<String>>,
    // The relay and the message of an email channel: see `channel::email`.
    pub from: Option<Spanned<String>>,
    pub to: Option<Spanned<StringsRaw>>,
    pub tls: Option<Spanned<String>>,
    pub ca_file: Option<Spanned<String>>,
    // An Entra ID app's token (Teams workflows, email through Exchange Online): see `channel::entra`.
    pub auth: Option<Spanned<String>>,
    pub tenant: Option<Spanned<String>>,
    pub client_id: Option<Spanned<String>>,
    pub client_secret: Option<Spanned<String>>,
    pub client_secret_file: Option<Spanned<String>>,
    pub client_certificate_file: Option<Spanned<String>>,
    pub authority: Option<Spanned<String>>,
    pub scope: Option<Spanned<String>>,
    // Where in a Discord channel posts go: see `channel::thread`.
    pub forum: Option<Spanned<bool>>,
    pub thread_name: Option<Spanned<String>>,
    pub thread_id: Option<Spanned<IdRaw>>,
    // Who is pinged: see `channel::mention`.
    pub mention: Option<Spanned<StringsRaw>>,
    // Entries gathered into one post at set times: see `channel::digest`.
    pub digest: Option<Spanned<String>>,
    pub timezone: Option<Spanned<String>>,
}

/// An identifier written as a number or as a string (`chat_id = -100123` or `"-100123"`), kept as
/// text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct IdRaw(pub String);

impl<'de> Deserialize<'de> for IdRaw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;

        impl Visitor<'_> for IdVisitor {
            type Value = IdRaw;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number or a string")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<IdRaw, E> {
                Ok(IdRaw(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<IdRaw, E> {
                Ok(IdRaw(v.to_string()))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<IdRaw, E> {
                Ok(IdRaw(v.to_owned()))
            }
        }

        deserializer.deserialize_any(IdVisitor)
    }
}

/// `basic_auth = { username = "…", password = "${VAR}" }`, or `password_file` instead of
/// `password`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BasicAuthRaw {
    pub username: Option<Spanned<String>>,
    pub password: Option<Spanned<String>>,
    pub password_file: Option<Spanned<String>>,
}

/// `headers`: header name → value. toml hands tables over sorted by key; the spans of the keys keep
/// the order they were written in.
pub(super) type HeadersRaw = BTreeMap<Spanned<String>, Spanned<String>>;

/// One `[[feeds]]` entry; also `[defaults]`, which takes every key but those of [`FEED_ONLY`] and
/// gives them to every feed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FeedRaw {
    pub url: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub channels: Option<Spanned<Vec<Spanned<String>>>>,
    // Who this feed's posts ping, by channel: see `feed::mention`.
    pub mention: Option<Spanned<MentionsRaw>>,
    // When and how much: see `feed::polling`.
    pub interval: Option<Spanned<String>>,
    pub schedule: Option<Spanned<String>>,
    pub timezone: Option<Spanned<String>>,
    pub backlog: Option<Spanned<i64>>,
    pub timeout: Option<Spanned<String>>,
    pub max_body: Option<Spanned<ByteSizeRaw>>,
    pub max_new_per_poll: Option<Spanned<i64>>,
    pub max_age: Option<Spanned<String>>,
    // Which entries are posted: see `feed::filters`.
    pub include: Option<Spanned<StringsRaw>>,
    pub exclude: Option<Spanned<StringsRaw>>,
    pub filter_fields: Option<Spanned<StringsRaw>>,
    // How the feed is fetched (headers, credentials, proxy, TLS): see `feed::fetch`.
    pub headers: Option<Spanned<HeadersRaw>>,
    pub user_agent: Option<Spanned<String>>,
    pub basic_auth: Option<Spanned<BasicAuthRaw>>,
    pub bearer_token: Option<Spanned<String>>,
    pub bearer_token_file: Option<Spanned<String>>,
    pub proxy: Option<Spanned<String>>,
    pub tls_insecure: Option<Spanned<bool>>,
    pub ca_file: Option<Spanned<String>>,
    // WebSub: see `feed::push`.
    pub push: Option<Spanned<bool>>,
    pub push_interval: Option<Spanned<String>>,
}

/// The keys of a feed that `[defaults]` does not take: what the feed is, and which of its entries
/// are posted.
pub(super) const FEED_ONLY: &[&str] = &[
    "url",
    "name",
    "channels",
    "mention",
    "include",
    "exclude",
    "filter_fields",
];

/// The keys `[defaults]` takes, in the order a feed lists them.
pub(super) fn defaults_fields() -> Vec<&'static str> {
    fields_of::<FeedRaw>()
        .iter()
        .copied()
        .filter(|key| !FEED_ONLY.contains(key))
        .collect()
}

/// A feed's `mention`: channel name → the mentions this feed's posts there ping.
pub(super) type MentionsRaw = BTreeMap<Spanned<String>, Spanned<StringsRaw>>;

/// A list of strings, each with its own span so that a problem names its index and line.
pub(super) type StringsRaw = Vec<Spanned<String>>;

/// `max_body`: a number of bytes, or a string with a unit such as `"10MiB"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ByteSizeRaw {
    Bytes(i64),
    Text(String),
}

impl<'de> Deserialize<'de> for ByteSizeRaw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ByteSizeVisitor;

        impl Visitor<'_> for ByteSizeVisitor {
            type Value = ByteSizeRaw;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number of bytes or a size such as \"10MiB\"")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ByteSizeRaw, E> {
                Ok(ByteSizeRaw::Bytes(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ByteSizeRaw, E> {
                i64::try_from(v)
                    .map(ByteSizeRaw::Bytes)
                    .map_err(|_| E::custom("size is too large"))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<ByteSizeRaw, E> {
                Ok(ByteSizeRaw::Text(v.to_owned()))
            }
        }

        deserializer.deserialize_any(ByteSizeVisitor)
    }
}

/// The keys a raw struct accepts, read from its `Deserialize` impl so that the unknown-key check and the
/// example-file test can never drift from the types.
pub(super) fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut fields = None;
    // The deserializer always fails after recording the fields; the error is expected and ignored.
    let _ = T::deserialize(FieldsOnly(&mut fields));
    fields.unwrap_or(&[])
}

struct FieldsOnly<'a>(&'a mut Option<&'static [&'static str]>);

impl<'de> Deserializer<'de> for FieldsOnly<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("only the field names are wanted"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(fields);
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests;
