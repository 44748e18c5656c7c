//! SQLite reader for rpm's `rpmdb.sqlite` (rpm 4.16+, Fedora 33+, RHEL 9, Amazon Linux 2023).
//!
//! Owns reading `SELECT hnum, blob FROM Packages ORDER BY hnum` from a database held in
//! memory: the bytes are copied into an in-memory SQLite connection with
//! `sqlite3_deserialize` (read-only), so nothing touches the file system. A database left in
//! WAL mode (header bytes 18-19 = 2) is read as a rollback-journal database, since the
//! in-memory VFS has no WAL; only what was checkpointed into the main file is seen, which is
//! all a layer holds. Behind the `rpmdb-sqlite` cargo feature; without it every call is an
//! [`RpmDbError`] saying the build lacks SQLite support.

use super::{RpmDbError, RpmDbFormat, Sink};

fn error(message: String) -> RpmDbError {
    RpmDbError::new(RpmDbFormat::Sqlite, message)
}

/// Read every header blob of an `rpmdb.sqlite` file into `sink`.
#[cfg(not(feature = "rpmdb-sqlite"))]
pub(super) fn read(_bytes: &[u8], _sink: &mut Sink) -> Result<(), RpmDbError> {
    Err(error(
        "this build lacks SQLite support (cargo feature `rpmdb-sqlite` is off)".to_owned(),
    ))
}

/// Read every header blob of an `rpmdb.sqlite` file into `sink`.
#[cfg(feature = "rpmdb-sqlite")]
pub(super) fn read(bytes: &[u8], sink: &mut Sink) -> Result<(), RpmDbError> {
    use std::io::Read;

    use rusqlite::types::ValueRef;
    use rusqlite::{Connection, MAIN_DB};

    /// Bytes 18 and 19 of the database header: file format write/read version.
    const VERSION_BYTES: std::ops::Range<usize> = 18..20;
    /// Size of the SQLite database header.
    const DB_HEADER: usize = 100;

    if bytes.len() < DB_HEADER || !bytes.starts_with(super::SQLITE_MAGIC) {
        return Err(error(format!(
            "not an SQLite database: {} bytes without the 100-byte \"SQLite format 3\" header",
            bytes.len()
        )));
    }
    fn sql(what: &'static str) -> impl Fn(rusqlite::Error) -> RpmDbError {
        move |e| error(format!("{what}: {e}"))
    }
    let mut conn = Connection::open_in_memory().map_err(sql("opening in-memory SQLite"))?;
    // Rewrite WAL (2) to legacy (1) in the copy handed to SQLite.
    let head = bytes.get(..VERSION_BYTES.start).unwrap_or_default();
    let tail = bytes.get(VERSION_BYTES.end..).unwrap_or_default();
    let reader = head.chain(&[1u8, 1][..]).chain(tail);
    conn.deserialize_read_exact(MAIN_DB, reader, bytes.len(), true)
        .map_err(sql("loading database image"))?;
    conn.pragma_update(None, "temp_store", "MEMORY")
        .map_err(sql("setting temp_store"))?;
    let kind: Option<String> = conn
        .query_row(
            "SELECT type FROM sqlite_master WHERE name = 'Packages'",
            [],
            |row| row.get(0),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })
        .map_err(sql("reading schema"))?;
    match kind.as_deref() {
        Some("table") => {}
        Some(other) => return Err(error(format!("`Packages` is a {other}, not a table"))),
        None => return Err(error("no `Packages` table".to_owned())),
    }
    let mut stmt = conn
        .prepare("SELECT hnum, blob FROM Packages ORDER BY hnum")
        .map_err(sql("preparing Packages query"))?;
    let mut rows = stmt.query([]).map_err(sql("querying Packages"))?;
    let mut read_rows = 0usize;
    loop {
        let row = match rows.next() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) if read_rows == 0 => return Err(error(format!("reading Packages: {e}"))),
            Err(e) => {
                sink.warn(format!(
                    "SQLite rpmdb: reading Packages stopped after {read_rows} rows: {e}"
                ));
                break;
            }
        };
        read_rows += 1;
        let hnum = match row.get_ref(0) {
            Ok(ValueRef::Integer(n)) => n.to_string(),
            _ => format!("row {read_rows}"),
        };
        let location = format!("SQLite Packages hnum {hnum}");
        match row.get_ref(1) {
            Ok(ValueRef::Blob(blob)) => sink.header(&location, blob),
            Ok(other) => sink.warn(format!(
                "{location}: blob column holds {:?}, not a blob; row skipped",
                other.data_type()
            )),
            Err(e) => sink.warn(format!("{location}: {e}; row skipped")),
        }
    }
    Ok(())
}

#[cfg(all(test, feature = "rpmdb-sqlite"))]
mod tests {
    use super::super::header::tag;
    use super::super::header::tests::{build, Val};
    use super::*;

    /// An rpmdb.sqlite image built in memory (rpm's schema), serialized to bytes.
    fn database(rows: &[(i64, Option<Vec<u8>>)]) -> Vec<u8> {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);",
        )
        .unwrap();
        for (hnum, blob) in rows {
            match blob {
                Some(b) => conn
                    .execute("INSERT INTO Packages VALUES (?1, ?2)", (hnum, b))
                    .unwrap(),
                None => conn
                    .execute("INSERT INTO Packages VALUES (?1, 'text')", [hnum])
                    .unwrap(),
            };
        }
        let data = conn.serialize(rusqlite::MAIN_DB).unwrap();
        data.to_vec()
    }

    fn blob(name: &str) -> Vec<u8> {
        build(&[(tag::NAME, Val::Str(name)), (tag::VERSION, Val::Str("1"))])
    }

    fn scan(bytes: &[u8]) -> Result<Sink, RpmDbError> {
        let mut sink = Sink::default();
        read(bytes, &mut sink)?;
        Ok(sink)
    }

    #[test]
    fn reads_rows_and_warns_on_bad_ones() {
        let db = database(&[
            (1, Some(blob("a"))),
            (2, Some(vec![1, 2, 3])),
            (3, None),
            (4, Some(blob("b"))),
        ]);
        let sink = scan(&db).unwrap();
        let names: Vec<&str> = sink.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(sink.diagnostics.len(), 2, "{:?}", sink.diagnostics);
        assert!(sink.diagnostics[0].message.contains("hnum 2"));
        assert!(sink.diagnostics[1].message.contains("hnum 3"));
    }

    #[test]
    fn wal_header_is_read() {
        let mut db = database(&[(1, Some(blob("a")))]);
        db[18] = 2;
        db[19] = 2;
        assert_eq!(scan(&db).unwrap().packages.len(), 1);
    }

    #[test]
    fn non_rpmdb_sqlite_is_an_error() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (x); CREATE VIEW Packages AS SELECT 1 AS hnum, x'00' AS blob;",
        )
        .unwrap();
        let db = conn.serialize(rusqlite::MAIN_DB).unwrap().to_vec();
        assert!(scan(&db).unwrap_err().message.contains("view"));
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (x);").unwrap();
        let db = conn.serialize(rusqlite::MAIN_DB).unwrap().to_vec();
        assert!(scan(&db).unwrap_err().message.contains("no `Packages`"));
        assert!(scan(b"").is_err());
        assert!(scan(&[0u8; 4096]).is_err());
    }

    #[test]
    fn truncation_and_corruption_do_not_panic() {
        let rows: Vec<(i64, Option<Vec<u8>>)> =
            (1..40).map(|i| (i, Some(blob(&format!("p{i}"))))).collect();
        let db = database(&rows);
        for cut in (0..db.len()).step_by(211) {
            if let Ok(sink) = scan(&db[..cut]) {
                assert!(sink.packages.len() <= rows.len());
            }
        }
        for i in (0..db.len()).step_by(7) {
            let mut b = db.clone();
            b[i] ^= 0xff;
            let _ = scan(&b);
        }
    }
}
