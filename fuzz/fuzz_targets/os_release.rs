#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = stellaops_analyzers::os::release::parse_os_release(data, "etc/os-release");
    let _ = stellaops_analyzers::os::release::parse_release_fallback("etc/redhat-release", data);
    let _ = stellaops_analyzers::os::release::parse_release_fallback("etc/lsb-release", data);
});
