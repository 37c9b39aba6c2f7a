//! `cargo +nightly fuzz run xlsx fuzz/corpus/xlsx fuzz/seeds/xlsx`: see [`jingbiao::loader::fuzz::xlsx`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    jingbiao::loader::fuzz::xlsx(data);
});
