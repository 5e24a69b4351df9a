use super::*;

#[test]
fn store_can_be_shared_across_tasks() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Store>();
}

#[tokio::test]
async fn a_store_in_memory_answers_through_the_async_api() {
    let store = Store::open_in_memory().expect("memory store");
    assert_eq!(store.poll_state("blog").await.expect("read"), None);
    let state = store.channel_state("ops").await.expect("read");
    assert_eq!(state.channel, "ops");
    assert_eq!(state.pending, 0);
}
