//! Requests to WebSub hubs (subscribe, unsubscribe): form POSTs through the shared client, so a
//! hub URL passes the same outbound address guard, limits and redaction as a feed URL. Redirects
//! are not followed: WebSub has a hub answer 202 at the URL it advertises.

use std::time::Duration;

use reqwest::header::CONTENT_TYPE;

use super::Fetcher;
use super::error::{self, FetchError};
use super::redirect::check_scheme;

/// How much of a hub's answer is kept to say why it refused.
const REASON_BYTES: usize = 200;

/// A hub's answer to a subscription request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubAnswer {
    pub status: u16,
    /// The start of the body, for the reason of a refusal.
    pub body: String,
}

impl Fetcher {
    /// POSTs `form` (`application/x-www-form-urlencoded`) to the hub at `url` within `timeout`.
    pub async fn post_to_hub(
        &self,
        url: &url::Url,
        form: &[(&str, &str)],
        timeout: Duration,
    ) -> Result<HubAnswer, FetchError> {
        check_scheme(url)?;
        if let Some(guard) = &self.guard {
            guard
                .check_url(url)
                .map_err(|blocked| FetchError::Blocked(blocked.0))?;
        }
        let client = self.clients.shared();
        let _slot = self.limits.acquire(url).await;
        let exchange = async {
            let response = client
                .post(url.clone())
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(encode(form))
                .send()
                .await?;
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            Ok::<_, reqwest::Error>(HubAnswer {
                status,
                body: body.chars().take(REASON_BYTES).collect(),
            })
        };
        tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_elapsed| FetchError::Timeout(timeout))?
            .map_err(|error| error::from_reqwest(&error, timeout).redacted(&self.redactor))
    }
}

fn encode(form: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish()
}
