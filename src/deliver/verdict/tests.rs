use super::*;

fn answer(status: u16, body: &str) -> Answer {
    Answer {
        status,
        body: body.into(),
        ..Answer::default()
    }
}

fn generic(status: u16, body: &str) -> Verdict {
    classify(ChannelKind::Generic, &answer(status, body))
}

#[test]
fn success_statuses_deliver() {
    assert_eq!(generic(200, ""), Verdict::Delivered);
    assert_eq!(
        classify(ChannelKind::Teams, &answer(202, "")),
        Verdict::Delivered
    );
}

#[test]
fn server_errors_retry_with_their_retry_after() {
    let busy = Answer {
        retry_after: Some(Duration::from_secs(9)),
        ..answer(503, "busy")
    };
    let expected = Verdict::Retry {
        reason: "HTTP 503: busy".into(),
        retry_after: Some(Duration::from_secs(9)),
    };
    assert_eq!(classify(ChannelKind::Slack, &busy), expected);
    assert!(matches!(generic(408, ""), Verdict::Retry { .. }));
}

#[test]
fn too_many_requests_waits_without_a_header_too() {
    let limited = Answer {
        retry_after: Some(Duration::from_secs(7)),
        ..answer(429, "")
    };
    assert_eq!(
        classify(ChannelKind::Discord, &limited),
        Verdict::RateLimited {
            retry_after: Duration::from_secs(7)
        }
    );
    assert_eq!(
        generic(429, ""),
        Verdict::RateLimited {
            retry_after: DEFAULT_RATE_LIMIT_WAIT
        }
    );
}

#[test]
fn gone_webhooks_suspend_the_channel() {
    for status in [401, 403, 404, 410, 301, 308] {
        assert!(
            matches!(generic(status, ""), Verdict::ChannelGone { .. }),
            "{status}"
        );
    }
}

#[test]
fn other_client_errors_reject_the_payload_with_the_body() {
    assert_eq!(
        generic(400, "bad card"),
        Verdict::Rejected {
            reason: "HTTP 400: bad card".into()
        }
    );
    assert!(matches!(generic(413, ""), Verdict::Rejected { .. }));
    assert!(matches!(
        classify(ChannelKind::Slack, &answer(400, "invalid_blocks")),
        Verdict::Rejected { .. }
    ));
}

#[test]
fn slack_says_a_hook_is_gone_in_its_body() {
    for body in ["no_service", "channel_not_found", "channel_is_archived"] {
        assert!(
            matches!(
                classify(ChannelKind::Slack, &answer(400, body)),
                Verdict::ChannelGone { .. }
            ),
            "{body}"
        );
    }
}

#[test]
fn discord_unknown_webhook_is_gone_but_other_404_bodies_too() {
    let unknown = answer(404, r#"{"message": "Unknown Webhook", "code": 10015}"#);
    assert!(matches!(
        classify(ChannelKind::Discord, &unknown),
        Verdict::ChannelGone { .. }
    ));
}

#[test]
fn mattermost_invalid_hook_is_gone_not_a_bad_payload() {
    let gone = answer(
        400,
        r#"{"id":"web.incoming_webhook.invalid.app_error","message":"Invalid webhook."}"#,
    );
    assert!(matches!(
        classify(ChannelKind::Mattermost, &gone),
        Verdict::ChannelGone { .. }
    ));
    assert!(matches!(
        classify(ChannelKind::Mattermost, &answer(400, "text too long")),
        Verdict::Rejected { .. }
    ));
}

#[test]
fn the_legacy_connector_delivers_only_on_a_body_of_one() {
    assert_eq!(
        classify(ChannelKind::TeamsMessageCard, &answer(200, "1")),
        Verdict::Delivered
    );
    let throttled = answer(
        200,
        "Microsoft Teams endpoint returned HTTP error 429 with ContextId …",
    );
    assert!(matches!(
        classify(ChannelKind::TeamsMessageCard, &throttled),
        Verdict::RateLimited { .. }
    ));
    let failing = answer(
        200,
        "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 500",
    );
    assert!(matches!(
        classify(ChannelKind::TeamsMessageCard, &failing),
        Verdict::Retry { .. }
    ));
}

#[test]
fn matrix_token_and_room_refusals_suspend_with_a_clear_reason() {
    for (status, code, says) in [
        (401, "M_UNKNOWN_TOKEN", "access token is not valid"),
        (403, "M_FORBIDDEN", "may not post in this room"),
    ] {
        let body = format!(r#"{{"errcode":"{code}","error":"nope"}}"#);
        let verdict = classify(ChannelKind::Matrix, &answer(status, &body));
        let Verdict::ChannelGone { reason } = verdict else {
            panic!("{code}: {verdict:?}");
        };
        assert!(reason.starts_with(&format!("Matrix {code}: ")), "{reason}");
        assert!(reason.contains(says), "{reason}");
    }
}

#[test]
fn matrix_limit_exceeded_waits_and_too_large_rejects_the_one_event() {
    let limited = Answer {
        retry_after: Some(Duration::from_millis(1500)),
        ..answer(
            429,
            r#"{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":1500}"#,
        )
    };
    assert_eq!(
        classify(ChannelKind::Matrix, &limited),
        Verdict::RateLimited {
            retry_after: Duration::from_millis(1500)
        }
    );
    let too_large = answer(
        413,
        r#"{"errcode":"M_TOO_LARGE","error":"event too large"}"#,
    );
    assert!(matches!(
        classify(ChannelKind::Matrix, &too_large),
        Verdict::Rejected { .. }
    ));
}

#[test]
fn telegram_lost_chats_suspend_and_a_bad_message_is_rejected_alone() {
    for (status, description) in [
        (400, "Bad Request: chat not found"),
        (403, "Forbidden: bot was blocked by the user"),
        (400, "Bad Request: message thread not found"),
    ] {
        let body = format!(r#"{{"ok":false,"error_code":{status},"description":"{description}"}}"#);
        let verdict = classify(ChannelKind::Telegram, &answer(status, &body));
        assert!(
            matches!(&verdict, Verdict::ChannelGone { reason } if reason.starts_with("Telegram: ")),
            "{description}: {verdict:?}"
        );
    }
    let unparsable = answer(
        400,
        r#"{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities"}"#,
    );
    assert!(matches!(
        classify(ChannelKind::Telegram, &unparsable),
        Verdict::Rejected { .. }
    ));
}

fn secret_url(url: &str) -> SecretUrl {
    SecretUrl::new(url::Url::parse(url).expect("url"))
}

#[test]
fn a_404_from_a_first_shape_workflows_url_says_where_the_new_url_is() {
    let old = secret_url(
        "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x",
    );
    let Verdict::ChannelGone { reason } =
        classify_from(ChannelKind::Teams, &old, &answer(404, "WorkflowNotFound"))
    else {
        panic!("a 404 suspends the channel")
    };
    assert!(
        reason.starts_with("HTTP 404: WorkflowNotFound ("),
        "{reason}"
    );
    assert!(
        reason.contains("copy the new URL from the flow's trigger"),
        "{reason}"
    );
    assert!(!reason.contains("sig=x"), "{reason}");
}

#[test]
fn other_answers_and_urls_get_no_url_hint() {
    let old = secret_url("https://prod-01.westeurope.logic.azure.com/workflows/abc");
    let current = secret_url(
        "https://env.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc",
    );
    let gone = Verdict::ChannelGone {
        reason: "HTTP 404".into(),
    };
    assert_eq!(
        classify_from(ChannelKind::Teams, &current, &answer(404, "")),
        gone
    );
    // A Logic App on a generic channel is still served on this shape.
    assert_eq!(
        classify_from(ChannelKind::Generic, &old, &answer(404, "")),
        gone
    );
    assert!(matches!(
        classify_from(ChannelKind::Teams, &old, &answer(403, "")),
        Verdict::ChannelGone { reason } if reason == "HTTP 403"
    ));
    assert_eq!(
        classify_from(ChannelKind::Teams, &old, &answer(202, "")),
        Verdict::Delivered
    );
}

#[test]
fn a_rocket_chat_integration_that_is_gone_suspends() {
    let unknown = answer(
        400,
        r#"{"success":false,"error":"Invalid integration id or token provided."}"#,
    );
    assert!(matches!(
        classify(ChannelKind::Rocketchat, &unknown),
        Verdict::ChannelGone { .. }
    ));
    let bad = answer(400, r#"{"success":false,"error":"error-invalid-channel"}"#);
    assert!(matches!(
        classify(ChannelKind::Rocketchat, &bad),
        Verdict::Rejected { .. }
    ));
}
