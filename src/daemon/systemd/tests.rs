use super::*;

#[test]
fn notifications_reach_the_socket() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notify");
    let listener = UnixDatagram::bind(&path).expect("bind");
    let notifier = Notifier {
        socket: Some((
            UnixDatagram::unbound().expect("socket"),
            SocketAddr::from_pathname(&path).expect("address"),
        )),
        watchdog: None,
    };
    notifier.ready("polling 3 feeds");
    let mut buffer = [0u8; 256];
    let read = listener.recv(&mut buffer).expect("datagram");
    assert_eq!(&buffer[..read], b"READY=1\nSTATUS=polling 3 feeds");
}

#[test]
fn without_systemd_nothing_is_sent_and_no_watchdog_is_expected() {
    let notifier = Notifier::absent();
    assert!(!notifier.is_connected());
    assert_eq!(notifier.watchdog_interval(), None);
    notifier.ready("x");
    notifier.stopping();
}

#[test]
fn the_monotonic_clock_reads_as_microseconds() {
    let first = monotonic_usec();
    assert!(first > 0);
    assert!(monotonic_usec() >= first);
}
