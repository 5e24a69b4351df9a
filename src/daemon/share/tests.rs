use super::*;

#[test]
fn shares_are_rounded_up_so_that_they_cover_all_the_work() {
    assert_eq!(fair_share(10, 3), 4);
    assert_eq!(fair_share(9, 3), 3);
    assert_eq!(fair_share(2, 3), 1);
    assert_eq!(fair_share(0, 3), 0);
    // Before the first heartbeat is read back, the instance counts itself.
    assert_eq!(fair_share(5, 0), 5);
}
