use super::*;

/// A folder holding `feedhook.db`, and the file open on it.
fn held() -> (tempfile::TempDir, std::path::PathBuf, File) {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("feedhook.db");
    std::fs::write(&state, b"state").expect("state");
    let file = File::open(&state).expect("open");
    (dir, state, file)
}

fn what(result: Result<(), StoreError>) -> String {
    match result {
        Err(StoreError::Changed { what, .. }) => what,
        other => panic!("expected Changed, got {other:?}"),
    }
}

#[test]
fn the_file_at_its_path_passes() {
    let (_dir, state, file) = held();
    verify(&file, &state).expect("unchanged");
}

#[test]
fn a_deleted_file_is_named() {
    let (_dir, state, file) = held();
    std::fs::remove_file(&state).expect("delete");
    let err = verify(&file, &state).expect_err("deleted");
    assert!(
        err.to_string().contains(&state.display().to_string()),
        "{err}"
    );
    assert_eq!(what(Err(err)), "was deleted");
}

#[test]
fn a_file_renamed_over_it_is_a_replacement() {
    let (dir, state, file) = held();
    let other = dir.path().join("other.db");
    std::fs::write(&other, b"state").expect("other");
    std::fs::rename(&other, &state).expect("replace");
    assert_eq!(what(verify(&file, &state)), "was replaced by another file");
}

#[test]
fn a_removed_folder_is_named() {
    let (dir, _, _) = held();
    let folder = dir.path().join("var");
    std::fs::create_dir(&folder).expect("folder");
    let state = folder.join("feedhook.db");
    std::fs::write(&state, b"state").expect("state");
    let file = File::open(&state).expect("open");
    std::fs::remove_dir_all(&folder).expect("remove");
    let what = what(verify(&file, &state));
    assert_eq!(
        what,
        format!("was removed with its folder {}", folder.display())
    );
}

#[test]
fn a_symlink_is_followed_and_a_new_target_is_a_replacement() {
    let (dir, state, file) = held();
    let link = dir.path().join("link.db");
    std::os::unix::fs::symlink(&state, &link).expect("symlink");
    verify(&file, &link).expect("the link names the open file");
    let other = dir.path().join("other.db");
    std::fs::write(&other, b"state").expect("other");
    std::fs::remove_file(&link).expect("unlink");
    std::os::unix::fs::symlink(&other, &link).expect("retarget");
    assert_eq!(what(verify(&file, &link)), "was replaced by another file");
}

#[test]
fn leftovers_beside_a_missing_state_say_it_was_deleted_while_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("feedhook.db");
    assert!(!deleted_while_open(&state), "nothing there: no state yet");
    let [wal, _, _] = companions(&state);
    std::fs::write(&wal, b"wal").expect("wal");
    assert!(deleted_while_open(&state));
    std::fs::write(&state, b"").expect("state");
    assert!(!deleted_while_open(&state), "the state is there");
}
