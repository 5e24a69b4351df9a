use super::*;

fn url(text: &str) -> Url {
    Url::parse(text).expect("test URL")
}

#[test]
fn relative_locations_resolve_against_the_current_url() {
    let mut redirects = Redirects::new(&url("http://a.test/feeds/x.xml"));
    let next = redirects
        .follow(StatusCode::FOUND, "y.xml")
        .expect("followed");
    assert_eq!(next.as_str(), "http://a.test/feeds/y.xml");
    let next = redirects.follow(StatusCode::FOUND, "/z").expect("followed");
    assert_eq!(next.as_str(), "http://a.test/z");
}

#[test]
fn only_an_all_permanent_chain_is_a_move() {
    let mut redirects = Redirects::new(&url("http://a.test/"));
    assert_eq!(redirects.moved_permanently_to(), None);
    redirects
        .follow(StatusCode::MOVED_PERMANENTLY, "/b")
        .expect("followed");
    redirects
        .follow(StatusCode::PERMANENT_REDIRECT, "/c")
        .expect("followed");
    assert_eq!(
        redirects.moved_permanently_to(),
        Some(url("http://a.test/c"))
    );
    redirects
        .follow(StatusCode::TEMPORARY_REDIRECT, "/d")
        .expect("followed");
    assert_eq!(redirects.moved_permanently_to(), None);
}

#[test]
fn the_sixth_hop_is_refused() {
    let mut redirects = Redirects::new(&url("http://a.test/0"));
    for hop in 1..=MAX_REDIRECTS {
        redirects
            .follow(StatusCode::FOUND, &format!("/{hop}"))
            .expect("within the limit");
    }
    let sixth = redirects.follow(StatusCode::FOUND, "/6");
    assert!(matches!(sixth, Err(FetchError::TooManyRedirects)));
}

#[test]
fn a_loop_is_refused_at_once() {
    let mut redirects = Redirects::new(&url("http://a.test/a"));
    redirects.follow(StatusCode::FOUND, "/b").expect("followed");
    let back = redirects.follow(StatusCode::FOUND, "/a");
    assert!(matches!(back, Err(FetchError::TooManyRedirects)));
}

#[test]
fn non_http_targets_are_refused() {
    let mut redirects = Redirects::new(&url("https://a.test/"));
    let ftp = redirects.follow(StatusCode::FOUND, "ftp://a.test/feed");
    assert!(matches!(ftp, Err(FetchError::Other(message)) if message.contains("ftp")));
    assert!(is_redirect(StatusCode::SEE_OTHER));
    assert!(!is_redirect(StatusCode::NOT_MODIFIED));
}
