use super::*;

fn shape(url: &str) -> TeamsUrl {
    TeamsUrl::of(&SecretUrl::new(url::Url::parse(url).expect("url")))
}

#[test]
fn connector_urls_are_recognised() {
    for url in [
        "https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/x/y",
        "https://outlook.office.com/webhook/abc",
        "https://outlook.office365.com/webhook/abc",
    ] {
        assert_eq!(shape(url), TeamsUrl::Connector, "{url}");
    }
}

#[test]
fn first_shape_workflows_urls_are_retired() {
    let url = "https://prod-27.westeurope.logic.azure.com:443/workflows/0a1b/triggers/manual/paths/invoke?api-version=2016-06-01&sig=x";
    assert_eq!(shape(url), TeamsUrl::RetiredWorkflows);
    assert!(
        TeamsUrl::RetiredWorkflows
            .hint()
            .is_some_and(|hint| hint.contains("30 November 2025"))
    );
}

#[test]
fn current_workflows_urls_and_lookalikes_need_nothing() {
    for url in [
        "https://default0a1b.c2.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?sig=x",
        "https://example.com/webhook.office.com",
        "https://example.com/workflows/logic.azure.com",
        "https://prod-27.westeurope.logic.azure.com/other",
        "https://outlook.office.com/mail",
    ] {
        assert_eq!(shape(url), TeamsUrl::Current, "{url}");
        assert_eq!(shape(url).hint(), None, "{url}");
    }
}
