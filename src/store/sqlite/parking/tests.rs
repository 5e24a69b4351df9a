use crate::store::sqlite::Db;
use crate::store::sqlite::testing::{Poll, at, pending_keys};

#[test]
fn a_parked_channel_has_nothing_pending_and_comes_back_in_order() {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &[], &["ops", "dev"]).run(&store);
    Poll::new("blog", &["a", "b"], &["ops", "dev"])
        .at(at(15))
        .run(&store);
    let keep = ["ops".to_owned()];
    let parking = store.park_channels_not_in(&keep, at(20)).expect("park");
    assert_eq!(parking.parked, [("dev".to_owned(), 2)]);
    assert_eq!(store.next_pending("dev").expect("read"), None);
    assert_eq!(store.parked_channels().expect("parked"), ["dev"]);

    let both = ["ops".to_owned(), "dev".to_owned()];
    let parking = store.park_channels_not_in(&both, at(30)).expect("restore");
    assert_eq!(parking.restored, [("dev".to_owned(), 2)]);
    assert_eq!(pending_keys(&store, "dev"), ["a", "b"]);
    assert!(store.parked_channels().expect("parked").is_empty());
}
