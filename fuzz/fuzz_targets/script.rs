//! `cargo +nightly fuzz run script fuzz/corpus/script fuzz/seeds/script`: see [`jingbiao::loader::fuzz::script`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    jingbiao::loader::fuzz::script(data);
});
