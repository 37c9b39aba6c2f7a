//! `cargo +nightly fuzz run csv_table fuzz/corpus/csv_table fuzz/seeds/csv_table`: see [`jingbiao::loader::fuzz::csv_table`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    jingbiao::loader::fuzz::csv_table(data);
});
