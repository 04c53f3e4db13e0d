//! Accepting connections, and ending: every connection served over
//! HTTP/1.1, until a signal says stop.
//!
//! `SIGTERM` and `SIGINT` (Ctrl-C) end the server at once, whatever it is
//! doing: the process installs its own handlers, so they also work where the
//! default ones do nothing (as the first process of a container, where the
//! kernel ignores a signal that has no handler).

use std::future::Future;
use std::io;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// Serves `router` to every connection `listener` accepts, until `stop` is
/// ready. Connections still open then (the open pages' event streams never
/// end) are dropped with the runtime, not waited for.
pub async fn serve(listener: TcpListener, router: Router, stop: impl Future<Output = ()>) {
    let mut stop = std::pin::pin!(stop);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => return,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a connection reset before it was
            // accepted: wait a moment and go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            // A connection that breaks off is the client's business.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Ready when the process is told to stop (`SIGTERM` or `SIGINT`). The
/// handlers are installed by this call, within a Tokio runtime: from then
/// on, the signals no longer end the process by themselves.
#[cfg(unix)]
pub fn stop_signal() -> io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
    })
}

/// Ready when the process is told to stop (Ctrl-C).
#[cfg(not(unix))]
pub fn stop_signal() -> io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
