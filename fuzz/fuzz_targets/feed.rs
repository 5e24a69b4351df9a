//! Feed bytes through parse and render: see `feedhook_fuzz::check_feed` and docs/fuzzing.md.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| feedhook_fuzz::check_feed(data));
