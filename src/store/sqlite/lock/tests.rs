use super::*;

#[test]
fn a_second_holder_is_refused_until_the_first_lets_go() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("feedhook.db");
    let first = InstanceLock::acquire(&state).expect("first lock");
    let second = InstanceLock::acquire(&state);
    assert!(
        matches!(second, Err(StoreError::AlreadyRunning { .. })),
        "{second:?}"
    );
    drop(first);
    InstanceLock::acquire(&state).expect("free again");
}
