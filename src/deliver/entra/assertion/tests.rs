use std::path::Path;

use super::*;
use crate::config::{ClientCredential, Config};

/// A Teams channel whose app has the test certificate (tests/fixtures/entra/app.pem).
fn app() -> EntraApp {
    let text = format!(
        "[channels.ops]\nkind = \"teams\"\n\
         url = \"https://default0a1b.ab.environment.api.powerplatform.com/powerautomate/x?sig=s\"\n\
         auth = \"entra\"\ntenant = \"contoso.onmicrosoft.com\"\n\
         client_id = \"11111111-2222-3333-4444-555555555555\"\n\
         client_certificate_file = \"{}/tests/fixtures/entra/app.pem\"\n\
         [[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"ops\"]\n",
        env!("CARGO_MANIFEST_DIR")
    );
    let config = Config::from_toml_str(&text, Path::new("/etc/feedhook.toml"), &|_| None)
        .expect("a valid config");
    match &config.channels["ops"].address {
        crate::config::Address::Workflow(app) => app.clone(),
        other => panic!("not a workflow: {other:?}"),
    }
}

fn decoded(part: &str) -> serde_json::Value {
    let bytes = URL_SAFE_NO_PAD.decode(part).expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON")
}

#[test]
fn the_assertion_names_the_certificate_and_the_app_for_the_token_endpoint() {
    let app = app();
    let ClientCredential::Certificate(certificate) = &app.credential else {
        panic!("not a certificate");
    };
    let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let signed = client_assertion(&app, certificate, now).expect("signed");
    let parts: Vec<&str> = signed.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header = decoded(parts[0]);
    assert_eq!(header["alg"], "PS256");
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["x5t"], "NlILzOZF2YfnQNv17t7xXIDCwoQ");
    assert_eq!(header["x5t#S256"], certificate.sha256_thumbprint.as_str());
    let claims = decoded(parts[1]);
    assert_eq!(
        claims["aud"],
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
    );
    assert_eq!(claims["iss"], "11111111-2222-3333-4444-555555555555");
    assert_eq!(claims["sub"], claims["iss"]);
    assert_eq!(claims["nbf"], 1_800_000_000);
    assert_eq!(claims["iat"], 1_800_000_000);
    assert_eq!(claims["exp"], 1_800_000_600);
    assert_eq!(claims["jti"].as_str().map(str::len), Some(36));
    let again = client_assertion(&app, certificate, now).expect("signed");
    assert_ne!(
        decoded(again.split('.').nth(1).expect("claims"))["jti"],
        claims["jti"]
    );
}
