use super::*;

#[test]
fn a_panic_becomes_an_error_with_its_message() {
    let outcome: Result<(), String> = catch_panic(|| panic!("boom {}", 42));
    let message = outcome.expect_err("the panic is caught");
    assert!(message.starts_with("boom 42 (at "), "{message}");
    assert!(message.contains("guard/tests.rs"), "{message}");
}

#[test]
fn registry_paths_are_shortened_to_the_crate() {
    let file =
        "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/feed-rs-3.0.0/src/lib.rs";
    assert_eq!(crate_relative(file), "feed-rs-3.0.0/src/lib.rs");
    assert_eq!(crate_relative("src/parse/guard.rs"), "src/parse/guard.rs");
}

#[test]
fn a_value_passes_through() {
    assert_eq!(catch_panic(|| 7), Ok(7));
}
