//! Accepting connections, and ending: every connection served over
//! HTTP/1.1 with a time limit on the request's head, until a signal says
//! stop.
//!
//! A client that connects and sends nothing, or sends the head of its
//! request a byte at a time, or keeps an idle connection open between two
//! requests, is cut off after [`HEADER_TIMEOUT`]: its connection holds
//! nothing for ever. A response that is streaming (the event stream of the
//! open pages) has no such limit: the head it answers was read in time.
//!
//! `SIGTERM` and `SIGINT` (Ctrl-C) end the server at once, whatever it is
//! doing: the process installs its own handlers, so they also work where the
//! default ones do nothing (as the first process of a container, where the
//! kernel ignores a signal that has no handler).

use std::future::Future;
use std::io;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// How long a client has to send the head of a request, from the moment
/// it connects or its previous response ends.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `router` to every connection `listener` accepts, each allowed
/// `header_timeout` for the head of each request, until `stop` is ready.
/// Connections still open then are dropped with the runtime.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    stop: impl Future<Output = ()>,
) {
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
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
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
