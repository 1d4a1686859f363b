use clap::Parser;
use glue_local::config::Config;
use glue_local::server::{App, Server};
use std::sync::Arc;
use tracing::{info, warn};

fn main() -> std::process::ExitCode {
    let config = Config::parse();
    glue_local::logging::init(&config);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(run(config)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("glue-local: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    let server = Server::bind(config).await?;
    tokio::spawn(reload_on_hangup(server.app().clone()));
    println!(
        "glue-local {} listening on http://{}",
        env!("CARGO_PKG_VERSION"),
        server.local_addr()
    );
    server.serve(shutdown_signal()).await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

async fn reload_on_hangup(app: Arc<App>) {
    #[cfg(unix)]
    {
        let Ok(mut hangups) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) else {
            return;
        };
        while hangups.recv().await.is_some() {
            match app.reload_iam() {
                Ok(n) => info!(principals = n, "IAM config reloaded"),
                Err(e) => warn!("IAM config not reloaded, the previous one stays in force: {e}"),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = app;
}
