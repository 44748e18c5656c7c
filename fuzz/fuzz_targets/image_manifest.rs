#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    use stellaops_analyzers::image::manifest;
    let _ = manifest::parse_document(data, "fuzz");
    let _ = manifest::parse_config(data, "fuzz");
    let _ = manifest::parse_docker_manifest(data);
});
