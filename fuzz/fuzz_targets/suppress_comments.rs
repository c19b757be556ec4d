#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| maa_fuzz::suppress_comments(data));
