use super::*;
use reqwest::header::HeaderValue;

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_static(value));
    }
    map
}

#[test]
fn max_age_is_found_among_other_directives_and_lines() {
    let max_age = parse_max_age(["public", "no-transform, MAX-AGE=\"600\""].into_iter());
    assert_eq!(max_age, Some(Duration::from_secs(600)));
}

#[test]
fn s_maxage_and_garbage_are_not_max_age() {
    assert_eq!(
        parse_max_age(["s-maxage=60, max-age=abc"].into_iter()),
        None
    );
    assert_eq!(parse_max_age(std::iter::empty()), None);
}

#[test]
fn charset_is_unquoted_and_lower_cased() {
    let charset = parse_charset("application/rss+xml; Charset=\"ISO-8859-1\"");
    assert_eq!(charset.as_deref(), Some("iso-8859-1"));
    assert_eq!(parse_charset("text/xml"), None);
    assert_eq!(parse_charset("text/xml; charset="), None);
}

#[test]
fn headers_give_validators_hints_and_charset() {
    let map = headers(&[
        ("etag", "W/\"v1\""),
        ("last-modified", "Sun, 06 Nov 1994 08:49:37 GMT"),
        ("cache-control", "max-age=300"),
        ("retry-after", "30"),
        ("content-type", "application/atom+xml;charset=utf-8"),
    ]);
    let head = ResponseHeaders::new(&map);
    assert_eq!(head.validators().etag.as_deref(), Some("W/\"v1\""));
    let last_modified = head.validators().last_modified;
    assert_eq!(
        last_modified.as_deref(),
        Some("Sun, 06 Nov 1994 08:49:37 GMT")
    );
    let hints = head.hints(SystemTime::now());
    assert_eq!(hints.max_age, Some(Duration::from_secs(300)));
    assert_eq!(hints.retry_after, Some(Duration::from_secs(30)));
    assert_eq!(head.charset().as_deref(), Some("utf-8"));
}

#[test]
fn content_length_counts_only_for_unencoded_bodies() {
    let plain = headers(&[("content-length", "2048")]);
    assert_eq!(ResponseHeaders::new(&plain).identity_length(), Some(2048));
    let identity = headers(&[("content-length", "10"), ("content-encoding", "identity")]);
    assert_eq!(ResponseHeaders::new(&identity).identity_length(), Some(10));
    let zstd = headers(&[("content-length", "10"), ("content-encoding", "zstd")]);
    assert_eq!(ResponseHeaders::new(&zstd).identity_length(), None);
}

#[test]
fn link_headers_give_each_link_with_its_relations() {
    let base = url::Url::parse("https://blog.example/feed").expect("test URL");
    let links = parse_links(
        r#"<https://hub.example/a,b>; rel="hub", </feed>; rel=self, <https://x.example/>; title="no rel""#,
        &base,
    );
    let found: Vec<(&str, &str)> = links
        .iter()
        .map(|link| (link.url.as_str(), link.rel.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("https://hub.example/a,b", "hub"),
            ("https://blog.example/feed", "self")
        ]
    );
}
