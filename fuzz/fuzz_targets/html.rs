//! An entry summary through the HTML reader and every markup writer: see
//! `feedhook_fuzz::check_html` and docs/fuzzing.md.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| feedhook_fuzz::check_html(data));
