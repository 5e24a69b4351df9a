use super::*;

#[test]
fn xml_is_repaired_after_decoding() {
    let body = b"<?xml version='1.0' encoding='windows-1252'?><rss><channel><title>caf\xE9 &eacute;</title></channel></rss>";
    assert_eq!(
        prepare(body, None).text,
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>café &#233;</title></channel></rss>"
    );
}

#[test]
fn json_is_normalised() {
    let prepared = prepare(
        br#" {"version": "http://jsonfeed.org/version/1", "title": "t", "items": []}"#,
        None,
    )
    .text;
    assert!(
        prepared.contains("https://jsonfeed.org/version/1"),
        "{prepared}"
    );
}
