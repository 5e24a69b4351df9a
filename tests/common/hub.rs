//! A WebSub hub on 127.0.0.1 that follows the spec's subscriber-facing side: it takes
//! subscription requests (answering 202, or a scripted status), and the test then plays its part
//! towards the subscriber — the verification of intent, a denial, and content distribution
//! (fat pings, signed with the subscription's secret, and thin ones).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::method};

/// One `hub.mode=…` request the hub received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubRequest {
    pub mode: String,
    pub topic: String,
    pub callback: String,
    pub secret: Option<String>,
    pub lease_seconds: Option<String>,
}

impl HubRequest {
    fn parse(request: &Request) -> Self {
        let form: HashMap<String, String> = url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect();
        let get = |key: &str| form.get(key).cloned();
        Self {
            mode: get("hub.mode").unwrap_or_default(),
            topic: get("hub.topic").unwrap_or_default(),
            callback: get("hub.callback").unwrap_or_default(),
            secret: get("hub.secret"),
            lease_seconds: get("hub.lease_seconds"),
        }
    }
}

struct Answer(Arc<Mutex<u16>>);

impl Respond for Answer {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let status = *self.0.lock().unwrap();
        ResponseTemplate::new(status).set_body_string(if status < 300 { "" } else { "hub trouble" })
    }
}

pub struct Hub {
    pub server: MockServer,
    status: Arc<Mutex<u16>>,
}

impl Hub {
    pub async fn start() -> Self {
        let server = MockServer::builder()
            .listener(std::net::TcpListener::bind("127.0.0.1:0").unwrap())
            .start()
            .await;
        let status = Arc::new(Mutex::new(202));
        Mock::given(method("POST"))
            .respond_with(Answer(Arc::clone(&status)))
            .mount(&server)
            .await;
        Self { server, status }
    }

    pub fn url(&self) -> String {
        format!("{}/", self.server.uri())
    }

    /// Answers every request from now on with `status`.
    pub fn answer(&self, status: u16) {
        *self.status.lock().unwrap() = status;
    }

    /// Every subscription request received so far, in order.
    pub async fn requests(&self) -> Vec<HubRequest> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .map(HubRequest::parse)
            .collect()
    }

    /// Waits for the `n`-th request (1-based) and returns it.
    pub async fn nth_request(&self, n: usize) -> HubRequest {
        let mut found = None;
        super::process::wait_for(
            "a request at the hub",
            super::process::PATIENCE,
            async || {
                found = self.requests().await.get(n - 1).cloned();
                found.is_some()
            },
        )
        .await;
        found.unwrap()
    }

    /// The verification of intent for `request`: (status, body) of the callback's answer.
    pub async fn verify(&self, request: &HubRequest, lease_seconds: u64) -> (u16, String) {
        let query = [
            ("hub.mode", request.mode.as_str()),
            ("hub.topic", request.topic.as_str()),
            ("hub.challenge", "challenge-4711"),
            ("hub.lease_seconds", &lease_seconds.to_string()),
        ];
        get(&request.callback, &query).await
    }

    /// A denial of `request`, as a hub sends it.
    pub async fn deny(&self, request: &HubRequest, reason: &str) -> (u16, String) {
        let query = [
            ("hub.mode", "denied"),
            ("hub.topic", request.topic.as_str()),
            ("hub.reason", reason),
        ];
        get(&request.callback, &query).await
    }
}

/// How a push is signed.
pub enum Signed<'a> {
    /// As the hub signs: HMAC-`method` with the subscription's secret.
    ByHub(&'a str),
    /// With another secret (a forger's guess).
    With(&'a str),
    /// Not at all.
    Unsigned,
}

impl Hub {
    /// Content distribution for `request`'s subscription: POSTs `body` (RSS) to its callback,
    /// signed as `signed` says; the callback's status.
    pub async fn push(&self, request: &HubRequest, body: &str, signed: Signed<'_>) -> u16 {
        let secret = request.secret.as_deref().unwrap_or_default();
        let signature = match signed {
            Signed::ByHub(method) => {
                feedhook::push::signature::sign(method, secret, body.as_bytes())
            }
            Signed::With(other) => {
                feedhook::push::signature::sign("sha256", other, body.as_bytes())
            }
            Signed::Unsigned => None,
        };
        let mut post = reqwest::Client::new()
            .post(&request.callback)
            .header("content-type", "application/rss+xml")
            .header(
                "link",
                format!(
                    "<{}>; rel=\"hub\", <{}>; rel=\"self\"",
                    self.url(),
                    request.topic
                ),
            )
            .body(body.to_owned());
        if let Some(signature) = signature {
            post = post.header("x-hub-signature", signature);
        }
        post.send().await.unwrap().status().as_u16()
    }
}

async fn get(callback: &str, query: &[(&str, &str)]) -> (u16, String) {
    let url = reqwest::Url::parse_with_params(callback, query).unwrap();
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// An RSS document like [`super::rss`] that advertises `hub` and calls itself `topic`.
pub fn rss_with_hub(hub: &str, topic: &str, items: &[(&str, &str)]) -> String {
    super::rss(items)
        .replace(
            "<rss version=\"2.0\">",
            "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">",
        )
        .replace(
            "<channel>",
            &format!(
                "<channel><atom:link rel=\"hub\" href=\"{hub}\"/><atom:link rel=\"self\" href=\"{topic}\"/>"
            ),
        )
}
