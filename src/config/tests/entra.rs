//! `auth = "entra"` on a Teams channel: a workflow restricted to the tenant, and what `check`
//! says about the app's keys.

use super::{only_problem, valid};
use crate::config::{Address, ClientCredential, EntraApp, FLOW_SCOPE};

const FEED: &str = "\n[[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"ops\"]\n";
const WORKFLOW: &str = "https://default0a1b.ab.environment.api.powerplatform.com/powerautomate/\
                        automations/direct/workflows/0a1b/triggers/manual/paths/invoke?sig=s1g";
const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

/// A Teams channel `ops` with `auth = "entra"` and `body` (from line 4), used by one feed.
fn ops(body: &str) -> String {
    format!(
        "[channels.ops]\nkind = \"teams\"\nurl = \"{WORKFLOW}\"\nauth = \"entra\"\n{body}{FEED}"
    )
}

fn app_keys(tenant: &str) -> String {
    format!("tenant = \"{tenant}\"\nclient_id = \"{CLIENT_ID}\"\nclient_secret = \"app-s3cret\"\n")
}

fn secret_of(app: &EntraApp) -> &str {
    match &app.credential {
        ClientCredential::Secret(secret) => secret.expose(),
        ClientCredential::Certificate(certificate) => panic!("a certificate: {certificate:?}"),
    }
}

#[test]
fn a_workflow_gets_the_token_endpoint_of_its_tenant_and_the_flow_scope() {
    let config = valid(&ops(&app_keys("Contoso.onmicrosoft.com")));
    let Address::Workflow(app) = &config.channels["ops"].address else {
        panic!("not a workflow: {:?}", config.channels["ops"].address);
    };
    assert_eq!(
        app.token_url.as_str(),
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
    );
    assert_eq!(
        (app.client_id.as_str(), app.scope.as_str()),
        (CLIENT_ID, FLOW_SCOPE)
    );
    assert_eq!(secret_of(app), "app-s3cret");
    assert!(config.redactor.redact("x app-s3cret y").contains("x "));
    assert!(
        !config
            .redactor
            .redact("x app-s3cret y")
            .contains("app-s3cret")
    );
}

#[test]
fn a_sovereign_cloud_sets_authority_and_scope_and_the_secret_may_come_from_a_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("entra");
    std::fs::write(&file, "from-a-file\n").expect("written");
    let body = format!(
        "tenant = \"72f988bf-86f1-41af-91ab-2d7cd011db47\"\nclient_id = \"{CLIENT_ID}\"\n\
         client_secret_file = \"{}\"\nauthority = \"https://login.microsoftonline.us/\"\n\
         scope = \"https://high.service.flow.microsoft.us//.default\"\n",
        file.display()
    );
    let config = valid(&ops(&body));
    let Address::Workflow(app) = &config.channels["ops"].address else {
        panic!("not a workflow");
    };
    assert_eq!(
        app.token_url.as_str(),
        "https://login.microsoftonline.us/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token"
    );
    assert_eq!(secret_of(app), "from-a-file");
    assert_eq!(
        app.scope,
        "https://high.service.flow.microsoft.us//.default"
    );
}

#[test]
fn an_unknown_tenant_form_is_an_error_at_its_line() {
    for tenant in ["contoso", "common", "not a tenant"] {
        let problem = only_problem(&ops(&app_keys(tenant)), "channels.ops.tenant", 5);
        assert!(problem.message.contains("tenant"), "{problem}");
    }
}

#[test]
fn a_client_id_that_is_no_guid_and_a_missing_secret_are_errors() {
    let body =
        "tenant = \"contoso.onmicrosoft.com\"\nclient_id = \"my-app\"\nclient_secret = \"x1\"\n";
    only_problem(&ops(body), "channels.ops.client_id", 6);
    let body = format!("tenant = \"contoso.onmicrosoft.com\"\nclient_id = \"{CLIENT_ID}\"\n");
    let problem = only_problem(&ops(&body), "channels.ops.client_secret", 1);
    assert!(problem.message.contains("client_secret_file"), "{problem}");
}

#[test]
fn both_secret_keys_and_an_unknown_auth_are_errors() {
    let body = app_keys("contoso.onmicrosoft.com") + "client_secret_file = \"/x\"\n";
    only_problem(&ops(&body), "channels.ops.client_secret_file", 8);
    let text = ops(&app_keys("contoso.onmicrosoft.com")).replace("\"entra\"", "\"basic\"");
    let problem = only_problem(&text, "channels.ops.auth", 4);
    assert!(problem.message.contains("\"entra\""), "{problem}");
}

#[test]
fn app_keys_need_auth_and_other_kinds_refuse_auth() {
    let text = ops(&app_keys("contoso.onmicrosoft.com")).replace("auth = \"entra\"\n", "");
    let found = super::problems(&text);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found.iter().all(|p| p.message.contains("auth = \"entra\"")),
        "{found:#?}"
    );
    let text = ops(&app_keys("contoso.onmicrosoft.com")).replace("\"teams\"", "\"slack\"");
    let problem = only_problem(&text, "channels.ops.auth", 4);
    assert!(
        problem.message.contains("only teams and email channels"),
        "{problem}"
    );
}

#[test]
fn a_plain_http_authority_is_only_for_this_machine() {
    let body = app_keys("contoso.onmicrosoft.com") + "authority = \"http://login.example\"\n";
    only_problem(&ops(&body), "channels.ops.authority", 8);
    let body = app_keys("contoso.onmicrosoft.com") + "authority = \"http://127.0.0.1:8080\"\n";
    valid(&ops(&body));
}

/// The test app's certificate and key, in one file.
fn app_pem() -> String {
    format!(
        "{}/tests/fixtures/entra/app.pem",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn a_certificate_is_the_other_credential() {
    let body = format!(
        "tenant = \"contoso.onmicrosoft.com\"\nclient_id = \"{CLIENT_ID}\"\n\
         client_certificate_file = \"{}\"\n",
        app_pem()
    );
    let config = valid(&ops(&body));
    let Address::Workflow(app) = &config.channels["ops"].address else {
        panic!("not a workflow");
    };
    let ClientCredential::Certificate(certificate) = &app.credential else {
        panic!("not a certificate: {:?}", app.credential);
    };
    assert_eq!(certificate.sha1_thumbprint, "NlILzOZF2YfnQNv17t7xXIDCwoQ");
}

#[test]
fn a_secret_and_a_certificate_together_are_an_error_at_the_secret() {
    let body = app_keys("contoso.onmicrosoft.com")
        + &format!("client_certificate_file = \"{}\"\n", app_pem());
    let problem = only_problem(&ops(&body), "channels.ops.client_secret", 7);
    assert!(problem.message.contains("not both"), "{problem}");
    let body = format!(
        "tenant = \"contoso.onmicrosoft.com\"\nclient_id = \"{CLIENT_ID}\"\n\
         client_certificate_file = \"/nonexistent/app.pem\"\n"
    );
    let problem = only_problem(&ops(&body), "channels.ops.client_certificate_file", 7);
    assert!(problem.message.contains("cannot read"), "{problem}");
}
