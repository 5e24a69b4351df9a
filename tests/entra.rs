//! Teams workflows restricted to the tenant (`auth = "entra"`), against a fake Entra ID token
//! endpoint and a fake workflow on 127.0.0.1: every post carries the app's token, one token serves
//! every channel of the app until shortly before it expires, a 401 from the flow gets one fresh
//! token, and a refused app suspends the channel without its secret showing anywhere. An app with
//! a certificate (tests/fixtures/entra/app.pem, made with openssl for these tests) sends a client
//! assertion, which the fake endpoint verifies with the certificate as Entra ID does.

#![allow(
    clippy::format_collect,
    clippy::format_push_string,
    clippy::unwrap_used
)]

mod common;

use std::time::Duration;

use common::{Doc, FeedServer, Setup, rss, stderr};
use feedhook::deliver::{Destination, Poster, Target, Verdict};
use feedhook::render::Payload;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "entra-app-s3cret";
const TENANT: &str = "contoso.onmicrosoft.com";
const TOKEN_PATH: &str = "/contoso.onmicrosoft.com/oauth2/v2.0/token";

fn granted(token: &str, seconds: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "token_type": "Bearer", "expires_in": seconds, "access_token": token
    }))
}

/// Channels `names` posting to `flow`'s `/flow/NAME` with one app of the tenant at `authority`.
fn channels(flow: &MockServer, authority: &MockServer, names: &[&str]) -> String {
    names
        .iter()
        .map(|name| {
            format!(
                "[channels.{name}]\nkind = \"teams\"\nurl = \"{}/flow/{name}\"\nauth = \"entra\"\n\
                 tenant = \"{TENANT}\"\nclient_id = \"11111111-2222-3333-4444-555555555555\"\n\
                 client_secret = \"{SECRET}\"\nauthority = \"{}\"\nrate = \"100/s\"\n",
                flow.uri(),
                authority.uri()
            )
        })
        .collect()
}

async fn feed_for(names: &[&str]) -> (FeedServer, String) {
    let feeds = FeedServer::start().await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("b", "Second"), ("a", "First")])),
    );
    let listed: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let feed = format!(
        "[[feeds]]\nname = \"news\"\nurl = \"{}\"\nchannels = [{}]\nbacklog = 2\n",
        feeds.url("/feed.xml"),
        listed.join(", ")
    );
    (feeds, feed)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_post_carries_the_token_that_one_request_got_for_all_channels() {
    let (authority, flow) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains(
            "client_id=11111111-2222-3333-4444-555555555555",
        ))
        .and(body_string_contains(
            "scope=https%3A%2F%2Fservice.flow.microsoft.com%2F%2F.default",
        ))
        .respond_with(granted("tok-1", 3600))
        .expect(1)
        .mount(&authority)
        .await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(202))
        .expect(4)
        .mount(&flow)
        .await;
    let (_feeds, feed) = feed_for(&["ops", "dev"]).await;
    let setup = Setup::new(&(channels(&flow, &authority, &["ops", "dev"]) + &feed));
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_from_the_flow_gets_one_fresh_token_and_one_more_try() {
    let (authority, flow) = (MockServer::start().await, MockServer::start().await);
    Mock::given(path(TOKEN_PATH))
        .respond_with(granted("stale", 3600))
        .up_to_n_times(1)
        .mount(&authority)
        .await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(granted("fresh", 3600))
        .mount(&authority)
        .await;
    Mock::given(header("authorization", "Bearer stale"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&flow)
        .await;
    Mock::given(header("authorization", "Bearer fresh"))
        .respond_with(ResponseTemplate::new(202))
        .expect(2)
        .mount(&flow)
        .await;
    let (_feeds, feed) = feed_for(&["ops"]).await;
    let setup = Setup::new(&(channels(&flow, &authority, &["ops"]) + &feed));
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
}

// Paused time needs the current-thread runtime; wiremock serves from threads of its own.
#[tokio::test]
async fn a_token_is_kept_until_shortly_before_it_expires() {
    let (authority, flow) = (MockServer::start().await, MockServer::start().await);
    Mock::given(path(TOKEN_PATH))
        .respond_with(granted("tok", 3600))
        .expect(2)
        .mount(&authority)
        .await;
    Mock::given(header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&flow)
        .await;
    let setup = Setup::new(&channels(&flow, &authority, &["ops"]));
    let config = setup.config();
    let poster = Poster::new(&config.redactor).unwrap();
    let target = Target::for_channel(&config.channels["ops"], &poster).unwrap();
    let payload = Payload::Json(serde_json::json!({}));
    let post = || async { target.send("key", &payload).await.verdict };
    assert_eq!(post().await, Verdict::Delivered);
    // Still fresh 54 minutes later: no second token request.
    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(54 * 60)).await;
    tokio::time::resume();
    assert_eq!(post().await, Verdict::Delivered);
    assert_eq!(authority.received_requests().await.unwrap().len(), 1);
    // Five minutes before it expires it is replaced.
    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(2 * 60)).await;
    tokio::time::resume();
    assert_eq!(post().await, Verdict::Delivered);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_app_suspends_the_channel_and_the_secret_shows_nowhere() {
    let (authority, flow) = (MockServer::start().await, MockServer::start().await);
    let refusal = serde_json::json!({
        "error": "invalid_client",
        "error_description": format!("AADSTS7000215: Invalid client secret provided ({SECRET}).\r\nTrace ID: 0"),
    });
    Mock::given(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(refusal))
        .mount(&authority)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202))
        .expect(0)
        .mount(&flow)
        .await;
    let (_feeds, feed) = feed_for(&["ops"]).await;
    let setup = Setup::new(&(channels(&flow, &authority, &["ops"]) + &feed));
    let output = setup.run(&["once"]);
    assert!(!output.status.success());
    let state = setup.channel_state("ops").unwrap();
    let reason = state.suspended_reason.unwrap();
    assert!(reason.contains("invalid_client: AADSTS7000215"), "{reason}");
    assert!(reason.contains("client_id and client secret"), "{reason}");
    assert_eq!(state.pending, 2, "the deliveries are kept");
    let log = stderr(&output) + &String::from_utf8_lossy(&output.stdout);
    let status = setup.run(&["status"]);
    for text in [
        &log,
        &reason,
        &String::from_utf8_lossy(&status.stdout).into_owned(),
    ] {
        assert!(!text.contains(SECRET), "{text}");
    }
}

/// A token endpoint that grants `token` only for a client assertion signed with the test app's
/// certificate (tests/fixtures/entra/app.pem) and holding the claims Entra ID checks; anything
/// else is refused as Entra ID does, with what was wrong.
struct AssertionChecker {
    token: &'static str,
    audience: String,
}

impl wiremock::Respond for AssertionChecker {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        match self.check(&request.body) {
            Ok(()) => granted(self.token, 3600),
            Err(wrong) => ResponseTemplate::new(401).set_body_json(serde_json::json!({
                "error": "invalid_client", "error_description": wrong
            })),
        }
    }
}

impl AssertionChecker {
    fn check(&self, body: &[u8]) -> Result<(), String> {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use rustls_pki_types::CertificateDer;
        use rustls_pki_types::pem::PemObject;
        use sha2::Digest;

        let form: std::collections::HashMap<String, String> =
            url::form_urlencoded::parse(body).into_owned().collect();
        if form.contains_key("client_secret") {
            return Err("a client secret was sent".into());
        }
        let wanted = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
        if form.get("client_assertion_type").map(String::as_str) != Some(wanted) {
            return Err(format!("client_assertion_type: {form:?}"));
        }
        let assertion = form.get("client_assertion").ok_or("no client_assertion")?;
        let (signed, signature) = assertion.rsplit_once('.').ok_or("not a JWT")?;
        let (header, claims) = signed.split_once('.').ok_or("not a JWT")?;
        let json = |part: &str| -> Result<serde_json::Value, String> {
            let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|e| e.to_string())?;
            serde_json::from_slice(&bytes).map_err(|e| e.to_string())
        };
        let (header, claims) = (json(header)?, json(claims)?);
        let pem = std::fs::read(app_pem()).unwrap();
        let certificate = CertificateDer::from_pem_slice(&pem).unwrap();
        let thumbprint = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(&certificate));
        if header["alg"] != "PS256" || header["x5t#S256"] != thumbprint.as_str() {
            return Err(format!("header: {header}"));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|e| e.to_string())?;
        webpki::EndEntityCert::try_from(&certificate)
            .unwrap()
            .verify_signature(
                webpki::ring::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
                signed.as_bytes(),
                &signature,
            )
            .map_err(|e| format!("signature: {e}"))?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let time = |claim: &str| claims[claim].as_u64().unwrap_or_default();
        let valid_now = time("nbf") <= now + 60 && now < time("exp");
        if claims["aud"] != self.audience.as_str()
            || claims["iss"] != CLIENT_ID
            || claims["sub"] != CLIENT_ID
            || !claims["jti"].is_string()
            || !valid_now
        {
            return Err(format!("claims: {claims}"));
        }
        Ok(())
    }
}

const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

fn app_pem() -> String {
    format!(
        "{}/tests/fixtures/entra/app.pem",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_certificate_signs_the_assertion_the_token_endpoint_checks() {
    let (authority, flow) = (MockServer::start().await, MockServer::start().await);
    let audience = format!("{}{TOKEN_PATH}", authority.uri());
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(AssertionChecker {
            token: "tok-cert",
            audience,
        })
        .expect(1)
        .mount(&authority)
        .await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer tok-cert"))
        .respond_with(ResponseTemplate::new(202))
        .expect(2)
        .mount(&flow)
        .await;
    let (_feeds, feed) = feed_for(&["ops"]).await;
    let with_secret = format!("client_secret = \"{SECRET}\"\n");
    let with_certificate = format!("client_certificate_file = \"{}\"\n", app_pem());
    let config = channels(&flow, &authority, &["ops"]).replace(&with_secret, &with_certificate);
    let setup = Setup::new(&(config + &feed));
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_assertion_for_another_endpoint_is_refused_and_the_key_shows_nowhere() {
    let (authority, flow) = (MockServer::start().await, MockServer::start().await);
    Mock::given(path(TOKEN_PATH))
        .respond_with(AssertionChecker {
            token: "tok-cert",
            audience: "https://login.microsoftonline.com/other/oauth2/v2.0/token".into(),
        })
        .mount(&authority)
        .await;
    let (_feeds, feed) = feed_for(&["ops"]).await;
    let with_secret = format!("client_secret = \"{SECRET}\"\n");
    let with_certificate = format!("client_certificate_file = \"{}\"\n", app_pem());
    let config = channels(&flow, &authority, &["ops"]).replace(&with_secret, &with_certificate);
    let setup = Setup::new(&(config + &feed));
    let output = setup.run(&["once"]);
    assert!(!output.status.success());
    let reason = setup
        .channel_state("ops")
        .unwrap()
        .suspended_reason
        .unwrap();
    assert!(reason.contains("invalid_client: claims"), "{reason}");
    assert!(reason.contains("certificate"), "{reason}");
    let pem = std::fs::read_to_string(app_pem()).unwrap();
    let key_line = pem
        .lines()
        .skip_while(|line| !line.contains("PRIVATE KEY"))
        .nth(1)
        .unwrap();
    let log = stderr(&output) + &String::from_utf8_lossy(&output.stdout);
    assert!(!log.contains(key_line) && !reason.contains(key_line));
}
