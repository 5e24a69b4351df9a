use super::*;
use futures_util::FutureExt;

fn url(text: &str) -> Url {
    Url::parse(text).expect("test URL")
}

#[tokio::test]
async fn a_host_gets_at_most_per_host_slots() {
    let limits = Limits::new(10, 2);
    let feed = url("http://a.test/feed");
    let _first = limits.acquire(&feed).await;
    let _second = limits.acquire(&feed).await;
    assert!(limits.acquire(&feed).now_or_never().is_none());
    assert!(
        limits
            .acquire(&url("http://b.test/"))
            .now_or_never()
            .is_some()
    );
}

#[tokio::test]
async fn all_hosts_together_get_at_most_concurrency_slots() {
    let limits = Limits::new(2, 2);
    let _a = limits.acquire(&url("http://a.test/")).await;
    let _b = limits.acquire(&url("http://b.test/")).await;
    assert!(
        limits
            .acquire(&url("http://c.test/"))
            .now_or_never()
            .is_none()
    );
}

#[tokio::test]
async fn a_released_slot_is_free_again() {
    let limits = Limits::new(1, 1);
    let feed = url("http://a.test/");
    drop(limits.acquire(&feed).await);
    assert!(limits.acquire(&feed).now_or_never().is_some());
}

#[tokio::test]
async fn idle_hosts_are_forgotten() {
    let limits = Limits::new(10, 2);
    drop(limits.acquire(&url("http://a.test/")).await);
    let _held = limits.acquire(&url("http://b.test/")).await;
    let _other = limits.acquire(&url("http://c.test/")).await;
    assert_eq!(
        limits.hosts_tracked(),
        2,
        "a.test was idle and should be gone"
    );
}

#[test]
fn ports_make_different_hosts_and_defaults_are_explicit() {
    assert_eq!(host_key(&url("https://a.test/x")), "a.test:443");
    assert_eq!(host_key(&url("http://a.test:8080/x")), "a.test:8080");
}
