use super::*;

#[test]
fn tenants_are_ids_or_domain_names_and_never_a_shared_authority() {
    assert_eq!(
        tenant("Contoso.OnMicrosoft.com").expect("valid"),
        "contoso.onmicrosoft.com"
    );
    assert!(tenant("72F988BF-86F1-41AF-91AB-2D7CD011DB47").is_ok());
    for bad in [
        "contoso",
        "organizations",
        "-a.example",
        "a..example",
        "72f988bf-86f1",
    ] {
        assert!(tenant(bad).is_err(), "{bad}");
    }
}

#[test]
fn token_urls_follow_the_authority_with_or_without_a_final_slash() {
    for base in ["https://login.example", "https://login.example/"] {
        let url = token_url(&Url::parse(base).expect("valid"), "t.example");
        assert_eq!(
            url.as_str(),
            "https://login.example/t.example/oauth2/v2.0/token"
        );
    }
}

#[test]
fn scopes_end_in_default() {
    assert!(scope("https://outlook.office365.com/.default").is_ok());
    assert!(scope("User.Read").is_err());
}
