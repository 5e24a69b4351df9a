//! Email channels against a real SMTP relay on 127.0.0.1 (aiosmtpd, see tests/common/smtp.rs): one
//! message per entry with the headers a mail system relies on, over plain SMTP, STARTTLS and TLS,
//! with a login; a refused login suspends the channel without the password showing anywhere; what
//! the relay says (4xx, 5xx, nothing at all) decides between retrying and failing one message.
//! Exchange Online's login with an Entra ID app's token (XOAUTH2) runs against the same relay and
//! a fake token endpoint: one token for every message, a refused token replaced once, and a
//! refusal that suspends the channel.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(
    clippy::format_collect,
    clippy::format_push_string,
    clippy::unwrap_used
)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::smtp::{Received, SmtpOptions, SmtpRelay, SmtpTls};
use common::{Doc, FeedServer, Setup, path_str, rss, stderr};
use feedhook::config::Redactor;
use feedhook::deliver::email::Mailer;
use feedhook::deliver::{Poster, Verdict};
use feedhook::render::email::EmailParts;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "s3cret-relay-pass";

/// A feed with two entries and an email channel `mail` to `relay`; `url` is the relay's URL with
/// `{port}` for its port, `extra` more channel keys.
async fn setup(relay: &SmtpRelay, url: &str, extra: &str) -> (FeedServer, Setup) {
    let feeds = FeedServer::start().await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("b", "Second"), ("a", "First")])),
    );
    let url = url.replace("{port}", &relay.port.to_string());
    let ca = relay.ca_file.as_ref().map_or_else(String::new, |file| {
        format!("ca_file = \"{}\"\n", path_str(file))
    });
    let config = format!(
        "[channels.mail]\nkind = \"email\"\nurl = \"{url}\"\nfrom = \"Feeds <feeds@example.com>\"\n\
         to = [\"team@example.com\", \"Ops <ops@example.com>\"]\nrate = \"100/s\"\n{ca}{extra}\n\
         [[feeds]]\nname = \"news\"\nurl = \"{}\"\nchannels = [\"mail\"]\nbacklog = 2\n",
        feeds.url("/feed.xml")
    );
    (feeds, Setup::new(&config))
}

fn subjects(received: &[Received]) -> Vec<String> {
    received
        .iter()
        .map(|m| m.header("Subject").unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plain_relay_gets_one_message_per_entry_oldest_first() {
    let Some(relay) = SmtpRelay::start(&SmtpOptions::default()) else {
        return;
    };
    let (_feeds, setup) = setup(&relay, "smtp://127.0.0.1:{port}", "tls = \"none\"\n").await;
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    let received = relay.received();
    assert_eq!(subjects(&received), ["news: First", "news: Second"]);
    let first = &received[0];
    assert_eq!(first.mail_from, "feeds@example.com");
    assert_eq!(first.rcpt_tos, ["team@example.com", "ops@example.com"]);
    assert_eq!(first.header("From").unwrap(), "Feeds <feeds@example.com>");
    assert!(first.header("To").unwrap().contains("team@example.com"));
    assert_eq!(first.header("Auto-Submitted").unwrap(), "auto-generated");
    assert_eq!(
        first.header("List-Id").unwrap(),
        "\"news\" <news.feedhook.example.com>"
    );
    assert!(first.header("Date").is_some());
    let id = first.header("Message-ID").unwrap();
    assert!(id.ends_with(".feedhook@example.com>"), "{id}");
    assert_ne!(Some(id), received[1].header("Message-ID"));
    assert!(
        first
            .header("Content-Type")
            .unwrap()
            .starts_with("multipart/alternative")
    );
    assert!(first.source.contains("text/plain") && first.source.contains("text/html"));
}

#[tokio::test(flavor = "multi_thread")]
async fn starttls_with_a_login_from_a_password_file() {
    let options = SmtpOptions {
        tls: SmtpTls::StartTls,
        login: Some(format!("feedhook:{PASSWORD}")),
        ..SmtpOptions::default()
    };
    let Some(relay) = SmtpRelay::start(&options) else {
        return;
    };
    let (_feeds, setup) = setup(
        &relay,
        "smtp://feedhook@127.0.0.1:{port}",
        "password_file = \"smtp-password\"\n",
    )
    .await;
    std::fs::write(
        setup.dir.path().join("smtp-password"),
        format!("{PASSWORD}\n"),
    )
    .unwrap();
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert_eq!(subjects(&relay.received()), ["news: First", "news: Second"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn implicit_tls_with_the_password_in_the_url() {
    let options = SmtpOptions {
        tls: SmtpTls::Implicit,
        login: Some(format!("feedhook:{PASSWORD}")),
        ..SmtpOptions::default()
    };
    let Some(relay) = SmtpRelay::start(&options) else {
        return;
    };
    let url = "smtps://feedhook:${SMTP_PASSWORD}@127.0.0.1:{port}";
    let (_feeds, setup) = setup(&relay, url, "").await;
    let output = setup
        .command(&["once"])
        .env("SMTP_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(relay.received().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_relay_without_starttls_is_never_sent_to_in_clear() {
    let Some(relay) = SmtpRelay::start(&SmtpOptions::default()) else {
        return;
    };
    let (_feeds, setup) = setup(&relay, "smtp://127.0.0.1:{port}", "").await;
    let report = setup.once().await;
    assert!(!report.all_done());
    assert!(relay.received().is_empty());
    let state = setup.channel_state("mail").unwrap();
    let reason = state.suspended_reason.unwrap();
    assert!(reason.contains("STARTTLS"), "{reason}");
    assert_eq!(state.pending, 2, "the deliveries are kept");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_login_suspends_the_channel_and_the_password_shows_nowhere() {
    let options = SmtpOptions {
        login: Some("feedhook:the-right-password".to_owned()),
        ..SmtpOptions::default()
    };
    let Some(relay) = SmtpRelay::start(&options) else {
        return;
    };
    let url = format!("smtp://feedhook:{PASSWORD}@127.0.0.1:{{port}}");
    let (_feeds, setup) = setup(&relay, &url, "tls = \"none\"\n").await;
    let output = setup.run(&["once"]);
    assert!(!output.status.success());
    let log = stderr(&output) + &String::from_utf8_lossy(&output.stdout);
    let state = setup.channel_state("mail").unwrap();
    let reason = state.suspended_reason.unwrap();
    assert!(reason.contains("refused the login"), "{reason}");
    assert_eq!(state.pending, 2);
    for text in [&log, &reason] {
        assert!(!text.contains(PASSWORD), "{text}");
    }
    let status = setup.run(&["status"]);
    assert!(!String::from_utf8_lossy(&status.stdout).contains(PASSWORD));
}

/// A mailer for `relay` without TLS, whose relay steps time out after `timeout`.
fn mailer(relay: &SmtpRelay, timeout: Duration) -> Mailer {
    let config = format!(
        "[channels.mail]\nkind = \"email\"\nurl = \"smtp://127.0.0.1:{}\"\ntls = \"none\"\n\
         from = \"feeds@example.com\"\nto = [\"team@example.com\"]\n",
        relay.port
    );
    let config = feedhook::config::Config::from_toml_str(
        &config,
        std::path::Path::new("feedhook.toml"),
        &|_| None,
    )
    .unwrap();
    let channel = &config.channels["mail"];
    let settings = channel.email().unwrap();
    let poster = Poster::new(&Arc::new(Redactor::default())).unwrap();
    poster.mailer("mail", settings, timeout).unwrap()
}

fn parts() -> EmailParts {
    EmailParts {
        subject: "news: First".into(),
        text: "First\n".into(),
        html: "<p>First</p>".into(),
        feed: "news".into(),
        identity: "news\na".into(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_temporary_refusal_is_retried_and_then_delivered_once() {
    let options = SmtpOptions {
        temporary: 1,
        ..SmtpOptions::default()
    };
    let Some(relay) = SmtpRelay::start(&options) else {
        return;
    };
    let mailer = mailer(&relay, Duration::from_secs(30));
    let first = mailer.send(&parts()).await.verdict;
    assert!(
        matches!(&first, Verdict::Retry { reason, .. } if reason.contains("451")),
        "{first:?}"
    );
    assert_eq!(mailer.send(&parts()).await.verdict, Verdict::Delivered);
    assert_eq!(relay.received().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permanent_refusal_fails_that_message_only() {
    let options = SmtpOptions {
        reject: true,
        ..SmtpOptions::default()
    };
    let Some(relay) = SmtpRelay::start(&options) else {
        return;
    };
    let verdict = mailer(&relay, Duration::from_secs(30))
        .send(&parts())
        .await
        .verdict;
    assert!(
        matches!(&verdict, Verdict::Rejected { reason } if reason.contains("554")),
        "{verdict:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_relay_that_stops_answering_is_retried_and_nothing_is_lost() {
    let options = SmtpOptions {
        hang: 1,
        ..SmtpOptions::default()
    };
    let Some(relay) = SmtpRelay::start(&options) else {
        return;
    };
    let mailer = mailer(&relay, Duration::from_secs(1));
    let first = mailer.send(&parts()).await.verdict;
    assert!(matches!(first, Verdict::Retry { .. }), "{first:?}");
    assert_eq!(mailer.send(&parts()).await.verdict, Verdict::Delivered);
    assert_eq!(relay.received().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn preview_shows_the_message_source_and_test_webhook_sends_one() {
    let Some(relay) = SmtpRelay::start(&SmtpOptions::default()) else {
        return;
    };
    let (_feeds, setup) = setup(&relay, "smtp://127.0.0.1:{port}", "tls = \"none\"\n").await;
    let preview = setup.run(&["preview", "news", "--limit", "1"]);
    assert!(preview.status.success(), "{}", stderr(&preview));
    let shown = String::from_utf8_lossy(&preview.stdout);
    for header in [
        "Subject: news: Second",
        "List-Id: ",
        "Auto-Submitted: auto-generated",
        "multipart/alternative",
    ] {
        assert!(shown.contains(header), "{header} not in {shown}");
    }
    assert!(relay.received().is_empty(), "preview sends nothing");
    let test = setup.run(&["test-webhook", "mail"]);
    assert!(test.status.success(), "{}", stderr(&test));
    let received = relay.received();
    assert_eq!(received.len(), 1);
    assert!(
        received[0]
            .header("Subject")
            .unwrap()
            .contains("feedhook test")
    );
}

// Exchange Online: SMTP AUTH XOAUTH2 with an Entra ID app's token, from a fake token endpoint.

const APP_SECRET: &str = "entra-app-s3cret";
const TOKEN_PATH: &str = "/contoso.onmicrosoft.com/oauth2/v2.0/token";

fn granted(token: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "token_type": "Bearer", "expires_in": 3599, "access_token": token
    }))
}

/// The keys of an email channel logging in with the app of the tenant at `authority`.
fn app_keys(authority: &MockServer) -> String {
    format!(
        "auth = \"entra\"\ntenant = \"contoso.onmicrosoft.com\"\n\
         client_id = \"11111111-2222-3333-4444-555555555555\"\nclient_secret = \"{APP_SECRET}\"\n\
         authority = \"{}\"\n",
        authority.uri()
    )
}

fn exchange_relay(token: &str) -> Option<SmtpRelay> {
    SmtpRelay::start(&SmtpOptions {
        tls: SmtpTls::StartTls,
        xoauth2: Some(format!("feeds@example.com:{token}")),
        ..SmtpOptions::default()
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn xoauth2_logs_in_as_the_from_mailbox_with_one_token_for_the_smtp_scope() {
    let Some(relay) = exchange_relay("tok-1") else {
        return;
    };
    let authority = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains(
            "scope=https%3A%2F%2Foutlook.office365.com%2F.default",
        ))
        .respond_with(granted("tok-1"))
        .expect(1)
        .mount(&authority)
        .await;
    let keys = app_keys(&authority);
    let (_feeds, setup) = setup(&relay, "smtp://127.0.0.1:{port}", &keys).await;
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    let received = relay.received();
    assert_eq!(subjects(&received), ["news: First", "news: Second"]);
    assert_eq!(received[0].login.as_deref(), Some("feeds@example.com"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_the_relay_refuses_is_replaced_once() {
    let Some(relay) = exchange_relay("fresh") else {
        return;
    };
    let authority = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(granted("stale"))
        .up_to_n_times(1)
        .mount(&authority)
        .await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(granted("fresh"))
        .expect(1)
        .mount(&authority)
        .await;
    let keys = app_keys(&authority);
    let (_feeds, setup) = setup(&relay, "smtp://127.0.0.1:{port}", &keys).await;
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert_eq!(relay.received().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_refused_twice_suspends_the_channel_with_what_to_check() {
    let Some(relay) = exchange_relay("the-one-exchange-wants") else {
        return;
    };
    let authority = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(granted("not-for-smtp"))
        .expect(2)
        .mount(&authority)
        .await;
    let keys = app_keys(&authority);
    let (_feeds, setup) = setup(&relay, "smtp://127.0.0.1:{port}", &keys).await;
    let output = setup.run(&["once"]);
    assert!(!output.status.success());
    let state = setup.channel_state("mail").unwrap();
    let reason = state.suspended_reason.unwrap();
    assert!(reason.contains("feeds@example.com"), "{reason}");
    assert!(reason.contains("SMTP.SendAsApp"), "{reason}");
    assert!(reason.contains("535"), "{reason}");
    assert_eq!(state.pending, 2, "the deliveries are kept");
    assert!(relay.received().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_endpoint_refusing_the_app_suspends_the_channel_and_the_secret_shows_nowhere() {
    let Some(relay) = exchange_relay("tok") else {
        return;
    };
    let authority = MockServer::start().await;
    let refusal = serde_json::json!({
        "error": "unauthorized_client",
        "error_description": format!("AADSTS700016: Application not found ({APP_SECRET}).\r\nTrace ID: 0"),
    });
    Mock::given(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(refusal))
        .mount(&authority)
        .await;
    let keys = app_keys(&authority);
    let (_feeds, setup) = setup(&relay, "smtp://127.0.0.1:{port}", &keys).await;
    let output = setup.run(&["once"]);
    assert!(!output.status.success());
    let reason = setup
        .channel_state("mail")
        .unwrap()
        .suspended_reason
        .unwrap();
    assert!(
        reason.contains("unauthorized_client: AADSTS700016"),
        "{reason}"
    );
    assert!(reason.contains("tenant, client_id"), "{reason}");
    let status = setup.run(&["status"]);
    let log = stderr(&output) + &String::from_utf8_lossy(&output.stdout);
    for text in [
        log,
        reason,
        String::from_utf8_lossy(&status.stdout).into_owned(),
    ] {
        assert!(!text.contains(APP_SECRET), "{text}");
    }
    assert!(relay.received().is_empty());
}
