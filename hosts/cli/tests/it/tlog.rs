//! `stella log`: a C2SP tlog-tiles directory with signed checkpoints.

use std::path::Path;

use crate::support::*;

fn s(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn log_append_prove_verify_and_tamper() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("log.pem");
    assert_eq!(stella(&["key", "generate", "--output", &s(&key)]).code, 0);
    let dir = tmp.path().join("log");
    let run = stella(&[
        "log",
        "init",
        &s(&dir),
        "--origin",
        "log.example/stella-test",
        "--key",
        &s(&key),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(stella(&["log", "verify", &s(&dir)]).code, 0);

    let mut files = Vec::new();
    for i in 0..300 {
        let f = tmp.path().join(format!("doc{i:03}.json"));
        std::fs::write(&f, format!("{{\"n\":{i}}}")).unwrap();
        files.push(s(&f));
    }
    let mut args = vec!["log".to_owned(), "append".to_owned(), s(&dir)];
    args.extend(files[..200].iter().cloned());
    let run = stella(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = String::from_utf8_lossy(&run.stdout).into_owned();
    assert_eq!(out.lines().count(), 200);
    assert_eq!(out.lines().last(), Some("199"));
    let old_checkpoint = tmp.path().join("checkpoint.200");
    std::fs::copy(dir.join("checkpoint"), &old_checkpoint).unwrap();
    let mut args = vec!["log".to_owned(), "append".to_owned(), s(&dir)];
    args.extend(files[200..].iter().cloned());
    let run = stella(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).lines().next(),
        Some("200")
    );

    // A valid tlog-tiles tree: full level-0 tile, partial tiles, entry bundles, checkpoint.
    for p in [
        "tile/0/000",
        "tile/0/001.p/44",
        "tile/entries/000",
        "tile/entries/001.p/44",
        "tile/1/000.p/1",
        "checkpoint",
    ] {
        assert!(dir.join(p).is_file(), "{p} missing");
    }
    let cp = std::fs::read_to_string(dir.join("checkpoint")).unwrap();
    assert!(cp.starts_with("log.example/stella-test\n300\n"), "{cp}");
    assert!(cp.contains("\n\n\u{2014} log.example/stella-test "), "{cp}");
    assert_eq!(stella(&["log", "verify", &s(&dir)]).code, 0);
    // The log at 300 extends the checkpoint at 200 (consistency proof).
    let run = stella(&["log", "verify", &s(&dir), "--since", &s(&old_checkpoint)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(String::from_utf8_lossy(&run.stdout).contains("extends the checkpoint at size 200"));
    // A checkpoint from a forked history (same size, different root, signed by the same key)
    // is not consistent.
    let fork = tmp.path().join("fork");
    assert_eq!(
        stella(&[
            "log",
            "init",
            &s(&fork),
            "--origin",
            "log.example/stella-test",
            "--key",
            &s(&key)
        ])
        .code,
        0
    );
    let mut args = vec!["log".to_owned(), "append".to_owned(), s(&fork)];
    args.extend(files[100..300].iter().cloned());
    assert_eq!(
        stella(&args.iter().map(String::as_str).collect::<Vec<_>>()).code,
        0
    );
    let run = stella(&[
        "log",
        "verify",
        &s(&dir),
        "--since",
        &s(&fork.join("checkpoint")),
    ]);
    assert_eq!(run.code, 1, "{}", String::from_utf8_lossy(&run.stdout));

    // Inclusion proof of one file, verified offline.
    let run = stella(&["log", "prove", &s(&dir), "123"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let proof = tmp.path().join("123.tlog-proof");
    std::fs::write(&proof, &run.stdout).unwrap();
    assert!(String::from_utf8_lossy(&run.stdout).starts_with("c2sp.org/tlog-proof@v1\nindex 123\n"));
    assert_eq!(
        stella(&[
            "log",
            "verify",
            &s(&dir),
            "--proof",
            &s(&proof),
            "--file",
            &files[123]
        ])
        .code,
        0
    );
    assert_eq!(
        stella(&[
            "log",
            "verify",
            &s(&dir),
            "--proof",
            &s(&proof),
            "--file",
            &files[124]
        ])
        .code,
        1
    );
    assert_eq!(stella(&["log", "prove", &s(&dir), "300"]).code, 2);

    // Tampering with a tile or the checkpoint is detected.
    let tile = dir.join("tile/0/000");
    let good = std::fs::read(&tile).unwrap();
    let mut bad = good.clone();
    bad[40] ^= 1;
    std::fs::write(&tile, &bad).unwrap();
    assert_eq!(stella(&["log", "verify", &s(&dir)]).code, 1);
    std::fs::write(&tile, &good).unwrap();
    let forged = cp.replacen("\n300\n", "\n301\n", 1);
    std::fs::write(dir.join("checkpoint"), forged).unwrap();
    assert_eq!(stella(&["log", "verify", &s(&dir)]).code, 1);
    std::fs::write(dir.join("checkpoint"), &cp).unwrap();
    let bundle = dir.join("tile/entries/000");
    let mut b = std::fs::read(&bundle).unwrap();
    let n = b.len();
    std::fs::write(&bundle, &b[..n - 3]).unwrap();
    assert_eq!(stella(&["log", "verify", &s(&dir)]).code, 1);
    b[n - 2] ^= 1;
    std::fs::write(&bundle, &b).unwrap();
    assert_eq!(stella(&["log", "verify", &s(&dir)]).code, 1);
}
