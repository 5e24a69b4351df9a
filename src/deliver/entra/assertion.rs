//! The client assertion of an app with a certificate credential: a JWT signed with the
//! certificate's key, which the token endpoint takes instead of a client secret
//! (<https://learn.microsoft.com/entra/identity-platform/certificate-credentials>). Its header
//! names the certificate by thumbprint (`x5t#S256`, and the SHA-1 `x5t` older tenants look for);
//! its claims say who it is from (`iss`, `sub`: the client id), for whom (`aud`: the token
//! endpoint), and for how long (ten minutes); `jti` makes each one unique.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use serde_json::json;

use crate::config::{ClientCertificate, EntraApp};

/// How long an assertion is valid: long enough for a slow network, short enough to be useless
/// to anyone who copies it.
const VALID_FOR: Duration = Duration::from_secs(600);

/// The form field that says what `client_assertion` is.
pub(super) const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The signed assertion of `app`, whose credential is `certificate`, made at `now`.
pub(super) fn client_assertion(
    app: &EntraApp,
    certificate: &ClientCertificate,
    now: SystemTime,
) -> Result<String, String> {
    let issued = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let header = json!({
        "alg": "PS256",
        "typ": "JWT",
        "x5t": certificate.sha1_thumbprint,
        "x5t#S256": certificate.sha256_thumbprint,
    });
    let claims = json!({
        "aud": app.token_url.as_str(),
        "iss": app.client_id,
        "sub": app.client_id,
        "jti": unique_id(),
        "nbf": issued,
        "iat": issued,
        "exp": issued + VALID_FOR.as_secs(),
    });
    let signed = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = certificate.sign_ps256(signed.as_bytes())?;
    Ok(format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// 128 random bits, as a UUID-shaped string (what MSAL sends).
fn unique_id() -> String {
    let bits: u128 = rand::rng().random();
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests;
