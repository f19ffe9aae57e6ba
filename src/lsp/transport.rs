//! JSON-RPC over a byte stream, as LSP frames it (`Content-Length: N` then
//! N bytes of JSON), with a reader and a writer thread.
//!
//! lsp-server's own reader gives up on the first malformed message (and
//! sizes its buffer by whatever `Content-Length` says); a server that an
//! editor keeps for hours must instead answer a bad message with an error
//! and read on. So frames are read here, bounded, and only well-formed
//! messages reach the server as `lsp_server::Message`s.

use std::io::{BufRead, Read, Write};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{ErrorCode, Message};

/// The largest message read: a 50 MB document escaped into JSON fits, a
/// `Content-Length` of terabytes does not allocate.
pub const MAX_MESSAGE: usize = 128 << 20;

/// A header line longer than this is not a header.
const MAX_HEADER_LINE: u64 = 8 << 10;

/// What the writer thread is given.
pub enum Outgoing {
    Text(String),
    /// Answered once everything sent before it is written.
    Flush(Sender<()>),
}

/// The sending end of the writer thread.
#[derive(Clone)]
pub struct Out(Sender<Outgoing>);

impl Out {
    pub fn send(&self, message: Message) {
        #[derive(serde::Serialize)]
        struct JsonRpc<'a> {
            jsonrpc: &'static str,
            #[serde(flatten)]
            message: &'a Message,
        }
        if let Ok(text) = serde_json::to_string(&JsonRpc { jsonrpc: "2.0", message: &message }) {
            let _ = self.0.send(Outgoing::Text(text));
        }
    }

    /// A notification, serialized straight from borrowed parameters: a
    /// publishDiagnostics of thousands of diagnostics is written once,
    /// without the intermediate `serde_json::Value` tree that
    /// `lsp_server::Notification` holds.
    pub fn notify(&self, method: &str, params: &impl serde::Serialize) {
        #[derive(serde::Serialize)]
        struct JsonRpc<'a, P> {
            jsonrpc: &'static str,
            method: &'a str,
            params: &'a P,
        }
        if let Ok(text) = serde_json::to_string(&JsonRpc { jsonrpc: "2.0", method, params }) {
            let _ = self.0.send(Outgoing::Text(text));
        }
    }

    /// An error response whose id is not a request id lsp-server can hold
    /// (`null` for a message that could not be read).
    pub fn send_raw_error(&self, id: serde_json::Value, code: ErrorCode, message: String) {
        let value = serde_json::json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": { "code": code as i32, "message": message },
        });
        let _ = self.0.send(Outgoing::Text(value.to_string()));
    }

    /// Wait (at most `limit`) until everything sent so far is written.
    pub fn flush(&self, limit: std::time::Duration) {
        let (tx, rx) = crossbeam_channel::bounded(1);
        if self.0.send(Outgoing::Flush(tx)).is_ok() {
            let _ = rx.recv_timeout(limit);
        }
    }
}

/// Start the two threads: messages read from `input` arrive on the
/// receiver; what is sent on [`Out`] is written to `output`.
pub fn start(
    input: impl BufRead + Send + 'static,
    mut output: impl Write + Send + 'static,
) -> std::io::Result<(Receiver<Message>, Out)> {
    let (out_tx, out_rx) = crossbeam_channel::unbounded::<Outgoing>();
    let out = Out(out_tx);
    std::thread::Builder::new().name("lsp-writer".to_owned()).spawn(move || {
        for outgoing in out_rx {
            match outgoing {
                Outgoing::Text(text) => {
                    let written = write!(output, "Content-Length: {}\r\n\r\n", text.len())
                        .and_then(|()| output.write_all(text.as_bytes()))
                        .and_then(|()| output.flush());
                    // The client is gone: nothing more can be said.
                    if written.is_err() {
                        return;
                    }
                }
                Outgoing::Flush(done) => {
                    let _ = done.send(());
                }
            }
        }
    })?;
    let (in_tx, in_rx) = crossbeam_channel::unbounded::<Message>();
    let errors = out.clone();
    std::thread::Builder::new().name("lsp-reader".to_owned()).spawn(move || read_loop(input, &in_tx, &errors))?;
    Ok((in_rx, out))
}

/// Read frames until the input ends (or the server stops listening).
fn read_loop(mut input: impl BufRead, messages: &Sender<Message>, out: &Out) {
    loop {
        let body = match read_frame(&mut input) {
            Ok(Some(body)) => body,
            Ok(None) => return,
            Err(Bad::Io) => return,
            Err(Bad::Frame(why)) => {
                out.send_raw_error(serde_json::Value::Null, ErrorCode::ParseError, why);
                continue;
            }
        };
        let value: serde_json::Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                out.send_raw_error(serde_json::Value::Null, ErrorCode::ParseError, format!("invalid JSON: {e}"));
                continue;
            }
        };
        let id = value.get("id").cloned().unwrap_or(serde_json::Value::Null);
        match serde_json::from_value::<Message>(value) {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if messages.send(message).is_err() || exit {
                    return;
                }
            }
            Err(e) => out.send_raw_error(
                id,
                ErrorCode::InvalidRequest,
                format!("not a JSON-RPC request, response or notification: {e}"),
            ),
        }
    }
}

enum Bad {
    /// The stream failed or ended inside a frame.
    Io,
    /// A frame that is not one; the stream is read on after it.
    Frame(String),
}

/// One frame's body; `None` at the end of the input.
fn read_frame(input: &mut impl BufRead) -> Result<Option<Vec<u8>>, Bad> {
    let mut length: Option<usize> = None;
    let mut seen_header = false;
    loop {
        let mut line = Vec::new();
        let n = input.by_ref().take(MAX_HEADER_LINE).read_until(b'\n', &mut line).map_err(|_| Bad::Io)?;
        if n == 0 {
            return if seen_header { Err(Bad::Io) } else { Ok(None) };
        }
        seen_header = true;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        if !line.ends_with(b"\n") {
            return Err(Bad::Frame(format!("a header line longer than {MAX_HEADER_LINE} bytes")));
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(Bad::Frame(format!("malformed header `{text}`")));
        };
        if name.trim().eq_ignore_ascii_case("Content-Length") {
            length = Some(value.trim().parse().map_err(|_| Bad::Frame(format!("bad Content-Length `{value}`")))?);
        }
    }
    let Some(length) = length else { return Err(Bad::Frame("a message without Content-Length".to_owned())) };
    if length > MAX_MESSAGE {
        // Skip the body so that the next frame is read from its start.
        let skipped =
            std::io::copy(&mut input.by_ref().take(length as u64), &mut std::io::sink()).map_err(|_| Bad::Io)?;
        if skipped < length as u64 {
            return Err(Bad::Io);
        }
        return Err(Bad::Frame(format!("a message of {length} bytes is larger than the {MAX_MESSAGE} bytes read")));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body).map_err(|_| Bad::Io)?;
    Ok(Some(body))
}
