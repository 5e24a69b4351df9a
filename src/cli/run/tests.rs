use super::*;

#[tokio::test]
async fn without_http_nothing_is_bound() {
    assert!(bind(None).await.expect("nothing to bind").is_none());
}

#[tokio::test]
async fn an_address_in_use_is_an_error_naming_it() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let listen = taken.local_addr().expect("address");
    let error = bind(Some(&HttpSettings {
        listen,
        public_url: None,
    }))
    .await
    .expect_err("the address is taken");
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("cannot listen on {listen} ([http] listen): ")),
        "{message}"
    );
}
