use super::*;

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("read the folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

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

#[test]
fn the_lock_is_on_the_state_file_itself_and_leaves_no_other_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("feedhook.db");
    let lock = InstanceLock::acquire(&state).expect("lock");
    assert_eq!(names_in(dir.path()), ["feedhook.db"]);
    drop(lock);
    assert_eq!(names_in(dir.path()), ["feedhook.db"]);
}

#[test]
fn a_symlink_and_its_target_are_one_state() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("feedhook.db");
    let link = dir.path().join("link.db");
    std::os::unix::fs::symlink(&state, &link).expect("symlink");
    // The link is dangling until the lock creates its target.
    let through_link = InstanceLock::acquire(&link).expect("lock through the link");
    assert!(state.is_file(), "the target was created");
    assert_eq!(
        through_link.resolved(),
        state.canonicalize().expect("target")
    );
    assert!(matches!(
        InstanceLock::acquire(&state),
        Err(StoreError::AlreadyRunning { .. })
    ));
    drop(through_link);
    let direct = InstanceLock::acquire(&state).expect("lock the target");
    assert!(matches!(
        InstanceLock::acquire(&link),
        Err(StoreError::AlreadyRunning { .. })
    ));
    drop(direct);
}

#[test]
fn a_missing_folder_is_named_and_not_created() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("nope").join("feedhook.db");
    let err = InstanceLock::acquire(&state).expect_err("no folder");
    assert!(
        matches!(&err, StoreError::Open { message, .. } if message.contains("nope")),
        "{err:?}"
    );
    assert!(!dir.path().join("nope").exists());
}

#[test]
fn files_left_by_a_deleted_state_are_removed_when_a_new_one_is_created() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("feedhook.db");
    for leftover in companions(&state) {
        std::fs::write(&leftover, b"from a deleted state").expect("leftover");
    }
    let _lock = InstanceLock::acquire(&state).expect("lock");
    assert_eq!(names_in(dir.path()), ["feedhook.db"]);
}

#[test]
fn the_files_beside_an_existing_state_are_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("feedhook.db");
    std::fs::write(&state, b"").expect("state");
    let [wal, _, _] = companions(&state);
    std::fs::write(&wal, b"the state's own, after a crash").expect("wal");
    let _lock = InstanceLock::acquire(&state).expect("lock");
    assert_eq!(
        std::fs::read(&wal).expect("kept"),
        b"the state's own, after a crash"
    );
}

#[test]
fn the_lock_file_of_an_older_feedhook_is_retired_unless_it_is_held() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("feedhook.db");
    let legacy = dir.path().join("feedhook.db.lock");
    let held = File::create(&legacy).expect("legacy lock");
    flock(&held, FlockOperation::NonBlockingLockExclusive).expect("an older feedhook holds it");
    assert!(matches!(
        InstanceLock::acquire(&state),
        Err(StoreError::AlreadyRunning { .. })
    ));
    drop(held);
    let _lock = InstanceLock::acquire(&state).expect("lock");
    assert!(!legacy.exists(), "the free lock file was removed");
}
