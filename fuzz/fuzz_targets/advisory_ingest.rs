#![no_main]
use libfuzzer_sys::fuzz_target;

// Format detection and every advisory parser (OSV, Debian tracker, Alpine secdb, CSAF, KEV,
// EPSS). Whatever ingests must also survive the snapshot round trip the CLI performs
// (upsert → canonical JSONL export → reload).
fuzz_target!(|data: &[u8]| {
    use stellaops_policy::advisory::{ingest, snapshot::Snapshot};
    let _ = ingest::detect(data);
    if let Ok(ingested) = ingest::ingest("fuzz", data) {
        let mut snap = Snapshot::new();
        snap.upsert(ingested);
        let export = snap.to_jsonl();
        let reloaded = Snapshot::from_jsonl(&export)
            .unwrap_or_else(|e| panic!("export of an ingested document does not reload: {e}"));
        assert_eq!(
            reloaded.to_jsonl(),
            export,
            "snapshot export is not stable across a reload"
        );
    }
});
