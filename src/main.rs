//! The `jingbiao` binary. All the work is in the library; see `cli.rs`.

fn main() {
    std::process::exit(jingbiao::cli::main());
}
