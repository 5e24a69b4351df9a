use std::time::Duration;

use super::default_spacing;
use crate::config::ChannelKind;

#[test]
fn chat_platforms_are_paced_and_generic_webhooks_are_not() {
    for kind in ChannelKind::ALL {
        let spacing = default_spacing(kind);
        match kind {
            ChannelKind::Generic | ChannelKind::Console => assert_eq!(spacing, Duration::ZERO),
            // Every chat platform limits a webhook to a few posts per second at most.
            _ => assert!(
                spacing >= Duration::from_millis(100),
                "{kind:?}: {spacing:?}"
            ),
        }
    }
}
