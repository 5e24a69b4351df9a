//! What a Teams webhook URL's shape says about it. Microsoft moved Teams webhooks twice: Office 365
//! connector URLs are retired, and Power Automate stopped serving the first Workflows trigger URLs
//! (`https://prod-NN.REGION.logic.azure.com/workflows/…`) on 30 November 2025 in favour of
//! `https://ENV.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/…`.
//! `check` warns about the old shapes while there is time, and delivery names the cause when one
//! of them answers 404.

use crate::config::secret::SecretUrl;

/// What to do about a Workflows URL of the first shape, for `check` and for a 404 from one.
pub const RETIRED_WORKFLOWS_HINT: &str = "Power Automate stopped serving Workflows URLs on \
     logic.azure.com on 30 November 2025: copy the new URL from the flow's trigger \
     (https://….environment.api.powerplatform.com/powerautomate/automations/direct/workflows/…)";

/// What to do about an Office 365 connector URL.
pub const CONNECTOR_HINT: &str = "this is a legacy connector URL; create a Teams Workflows webhook \
     and use its URL (https://….environment.api.powerplatform.com/powerautomate/…)";

/// The shape of a Teams webhook URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamsUrl {
    /// An Office 365 connector: `https://TENANT.webhook.office.com/webhookb2/…`, or the older
    /// `https://outlook.office.com/webhook/…`.
    Connector,
    /// A Workflows trigger of the first shape, no longer served.
    RetiredWorkflows,
    /// Anything else: the current Workflows shape, or a URL this module knows nothing about.
    Current,
}

impl TeamsUrl {
    /// The shape of `url`.
    #[must_use]
    pub fn of(url: &SecretUrl) -> Self {
        let url = url.expose();
        let host = url.host_str().unwrap_or_default();
        let path = url.path();
        let is_connector = host == "webhook.office.com"
            || host.ends_with(".webhook.office.com")
            || (matches!(host, "outlook.office.com" | "outlook.office365.com")
                && path.starts_with("/webhook"));
        if is_connector {
            Self::Connector
        } else if host.ends_with(".logic.azure.com") && path.starts_with("/workflows/") {
            Self::RetiredWorkflows
        } else {
            Self::Current
        }
    }

    /// What an operator should do about a URL of this shape; `None` when nothing.
    #[must_use]
    pub fn hint(self) -> Option<&'static str> {
        match self {
            Self::Connector => Some(CONNECTOR_HINT),
            Self::RetiredWorkflows => Some(RETIRED_WORKFLOWS_HINT),
            Self::Current => None,
        }
    }
}

#[cfg(test)]
mod tests;
