#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    use stellaops_analyzers::native;
    let sniffed = native::sniff(data);
    let parsed = native::parse_binary(data);
    // parse_binary accepts only what sniff recognises, and reports that format.
    match &parsed {
        Ok(info) => {
            assert_eq!(sniffed, Some(info.format));
            let json = serde_json::to_vec(info).expect("serialize");
            let back: native::BinaryInfo = serde_json::from_slice(&json).expect("reload");
            assert_eq!(&back, info);
        }
        Err(e) => assert!(!e.is_empty() && e.len() < 200, "{e}"),
    }
});
