//! Fake chat platforms on 127.0.0.1 that answer like the real APIs: a Matrix homeserver (room
//! directory and event sends, bearer token checked), a Telegram Bot API server (the bot token
//! in the path checked) and an ntfy server (JSON publishing at its root, bearer token checked). Each answers scripted (status, body) pairs first, then success, and
//! records every request.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The room id the fake homeserver's directory gives for every alias.
pub const ROOM_ID: &str = "!room:example.org";

type Script = Arc<Mutex<VecDeque<(u16, String)>>>;

/// Which platform the fake plays.
#[derive(Clone, Copy)]
enum Kind {
    Matrix,
    Telegram,
    Ntfy,
}

pub struct Platform {
    pub server: MockServer,
    script: Script,
}

struct Responder {
    kind: Kind,
    token: String,
    script: Script,
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if !self.authorised(request) {
            return self.unauthorised();
        }
        let scripted = self.script.lock().unwrap().pop_front();
        let (status, body) = scripted.unwrap_or_else(|| (200, self.success(request)));
        ResponseTemplate::new(status).set_body_raw(body, "application/json")
    }
}

impl Responder {
    fn authorised(&self, request: &Request) -> bool {
        match self.kind {
            Kind::Matrix | Kind::Ntfy => {
                request
                    .headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    == Some(format!("Bearer {}", self.token).as_str())
            }
            Kind::Telegram => request
                .url
                .path()
                .starts_with(&format!("/bot{}/", self.token)),
        }
    }

    fn unauthorised(&self) -> ResponseTemplate {
        let (status, body) = match self.kind {
            Kind::Matrix => (
                401,
                r#"{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token passed."}"#,
            ),
            Kind::Telegram => (
                401,
                r#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#,
            ),
            Kind::Ntfy => (
                401,
                r#"{"code":40101,"http":401,"error":"unauthorized","link":"https://ntfy.sh/docs/publish/#authentication"}"#,
            ),
        };
        ResponseTemplate::new(status).set_body_raw(body, "application/json")
    }

    fn success(&self, request: &Request) -> String {
        match self.kind {
            Kind::Matrix if request.method.as_str() == "GET" => {
                format!(r#"{{"room_id":"{ROOM_ID}","servers":["example.org"]}}"#)
            }
            Kind::Matrix => r#"{"event_id":"$event:example.org"}"#.to_owned(),
            Kind::Ntfy => {
                r#"{"id":"sPs71M8A2T","time":1700000000,"event":"message","topic":"releases"}"#
                    .to_owned()
            }
            Kind::Telegram => {
                r#"{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":-100,"type":"supergroup"}}}"#
                    .to_owned()
            }
        }
    }
}

impl Platform {
    /// A homeserver that takes `token`: `GET …/directory/room/{alias}` and
    /// `PUT …/rooms/{room}/send/m.room.message/{txn}`.
    pub async fn matrix(token: &str) -> Self {
        Self::start(
            Kind::Matrix,
            token,
            &[
                ("GET", r"^/_matrix/client/v3/directory/room/[^/]+$"),
                (
                    "PUT",
                    r"^/_matrix/client/v3/rooms/[^/]+/send/m\.room\.message/[^/]+$",
                ),
            ],
        )
        .await
    }

    /// A Bot API server for the bot `token`: `POST /bot{token}/sendMessage`.
    pub async fn telegram(token: &str) -> Self {
        Self::start(
            Kind::Telegram,
            token,
            &[("POST", r"^/bot[^/]+/sendMessage$")],
        )
        .await
    }

    /// An ntfy server whose topics need `token`: `POST /` with a JSON body.
    pub async fn ntfy(token: &str) -> Self {
        Self::start(Kind::Ntfy, token, &[("POST", r"^/$")]).await
    }

    async fn start(kind: Kind, token: &str, routes: &[(&str, &str)]) -> Self {
        let server = MockServer::builder()
            .listener(std::net::TcpListener::bind("127.0.0.1:0").unwrap())
            .start()
            .await;
        let script = Script::default();
        for (verb, path) in routes {
            let responder = Responder {
                kind,
                token: token.to_owned(),
                script: Arc::clone(&script),
            };
            Mock::given(method(*verb))
                .and(path_regex(*path))
                .respond_with(responder)
                .mount(&server)
                .await;
        }
        Self { server, script }
    }

    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// The next answers, in order; after them every request succeeds.
    pub fn answer(&self, status: u16, body: &str) {
        self.script
            .lock()
            .unwrap()
            .push_back((status, body.to_owned()));
    }

    /// Every request so far whose method is `verb`.
    pub async fn requests(&self, verb: &str) -> Vec<Request> {
        let all = self.server.received_requests().await.unwrap_or_default();
        all.into_iter()
            .filter(|request| request.method.as_str() == verb)
            .collect()
    }
}
