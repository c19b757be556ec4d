//! The `maa` binary: a thin shell over the library.

fn main() -> std::process::ExitCode {
    maa::cli::main()
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
