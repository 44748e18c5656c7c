#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    use stellaops_policy::advisory::cvss;
    let text = String::from_utf8_lossy(data);
    if let Ok(score) = cvss::parse(&text) {
        assert!(
            (0.0..=10.0).contains(&score.base_score),
            "base score {} out of range for {text:?}",
            score.base_score
        );
        let _ = cvss::severity_for_score(score.version, score.base_score);
    }
});
