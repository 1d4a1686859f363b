use clap::Parser;
use glue_local::config::Config;

fn main() -> std::process::ExitCode {
    let config = Config::parse();
    glue_local::logging::init(&config);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(glue_local::server::run(config)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("glue-local: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
