#![no_main]
use libfuzzer_sys::fuzz_target;

// Snapshot import. Whatever loads must export canonically: export → reload → export gives
// the same bytes.
fuzz_target!(|data: &[u8]| {
    use stellaops_policy::advisory::snapshot::Snapshot;
    if let Ok(snap) = Snapshot::from_jsonl(data) {
        let _ = snap.stats();
        let _ = snap.hash();
        let export = snap.to_jsonl();
        let reloaded = Snapshot::from_jsonl(&export)
            .unwrap_or_else(|e| panic!("snapshot export does not reload: {e}"));
        assert_eq!(
            reloaded.to_jsonl(),
            export,
            "snapshot export is not stable across a reload"
        );
    }
});
