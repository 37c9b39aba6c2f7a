//! `cargo +nightly fuzz run campaign_toml fuzz/corpus/campaign_toml fuzz/seeds/campaign_toml`: see [`jingbiao::loader::fuzz::campaign_toml`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    jingbiao::loader::fuzz::campaign_toml(data);
});
