//! PostgreSQL for the enricher tests of the gateway and the streaming worker (which includes
//! this file): a database of its own on the server the test command starts (SCENIC_PG_HOST /
//! SCENIC_PG_PORT, default 127.0.0.1:5432, trust auth), or a throwaway cluster of its own (for
//! tests that stop and restart the server), through the PostgreSQL command-line tools.
//! PostgreSQL missing, the test fails and says so: these tests never skip.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

pub fn host() -> String {
    std::env::var("SCENIC_PG_HOST").unwrap_or_else(|_| "127.0.0.1".into())
}
pub fn port() -> u16 {
    std::env::var("SCENIC_PG_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(5432)
}

/// Runs `sql` with psql; the error text when it fails.
pub fn psql(host: &str, port: u16, db: &str, sql: &str) -> Result<String, String> {
    let out = Command::new("psql")
        .args([
            "-h",
            host,
            "-p",
            &port.to_string(),
            "-U",
            "postgres",
            "-d",
            db,
        ])
        .args(["-v", "ON_ERROR_STOP=1", "-qtA", "-c", sql])
        .env("PGCONNECT_TIMEOUT", "5")
        .output()
        .map_err(|e| format!("psql: {e} (PostgreSQL's client tools are needed)"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).to_string())
    }
}

static SEQ: AtomicU32 = AtomicU32::new(0);

pub struct Db {
    pub name: String,
    pub host: String,
    pub port: u16,
}

impl Db {
    pub fn new(seed: &str) -> Db {
        Db::on(&host(), port(), seed)
    }

    pub fn on(host: &str, port: u16, seed: &str) -> Db {
        let name = format!(
            "scenic_t_{}_{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        if let Err(e) = psql(host, port, "postgres", &format!("CREATE DATABASE {name}")) {
            panic!(
                "PostgreSQL is needed at {host}:{port} (trust auth, user postgres): {e}\n\
                 The test command (scripts/test) starts one; or set SCENIC_PG_HOST / SCENIC_PG_PORT."
            );
        }
        let db = Db {
            name,
            host: host.into(),
            port,
        };
        db.exec(seed);
        db
    }

    pub fn exec(&self, sql: &str) -> String {
        psql(&self.host, self.port, &self.name, sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// `host:port/database`, as the enricher's messages name it.
    pub fn place(&self) -> String {
        format!("{}:{}/{}", self.host, self.port, self.name)
    }

    /// A `components` section with a query (`db-query`) and a lookup (`db-lookup`) enricher on
    /// this database; `extra_pool` adds `dbPool` keys.
    pub fn components(&self, extra_pool: serde_json::Value) -> serde_json::Value {
        let mut pool = serde_json::json!({"driverClassName": "org.postgresql.Driver",
            "url": format!("jdbc:postgresql://{}:{}/{}", self.host, self.port, self.name),
            "username": "postgres", "password": ""});
        if let (Some(o), Some(extra)) = (pool.as_object_mut(), extra_pool.as_object()) {
            o.extend(extra.clone());
        }
        serde_json::json!({"databaseEnricher": {"config": {
            "databaseQueryEnricher": {"name": "db-query", "dbPool": pool.clone()},
            "databaseLookupEnricher": {"name": "db-lookup", "dbPool": pool}}}})
    }

    /// A configuration file's text with [`components`](Self::components).
    pub fn config(&self, extra_pool: serde_json::Value) -> String {
        serde_json::json!({"components": self.components(extra_pool)}).to_string()
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let _ = psql(
            &self.host,
            self.port,
            "postgres",
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// A PostgreSQL cluster of its own (`pg_createcluster`, trust auth), which a test may stop
/// and start. Dropped with the test.
pub struct Cluster {
    version: String,
    name: String,
    pub port: u16,
    dir: PathBuf,
}

fn pg_version() -> String {
    std::fs::read_dir("/usr/lib/postgresql")
        .ok()
        .and_then(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().to_string()).max())
        .expect("PostgreSQL's server packages (/usr/lib/postgresql) are needed: apt-get install -y postgresql")
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{:?}: {}{}",
            cmd,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

impl Cluster {
    pub fn start(port: u16) -> Cluster {
        let version = pg_version();
        let name = format!(
            "scenic{}x{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        let dir = std::env::temp_dir().join(format!("scenic-pg-{name}"));
        std::fs::create_dir_all(&dir).expect("dir");
        // The server runs as postgres: it must reach its data folder.
        let _ = Command::new("chmod")
            .args(["755", dir.to_str().expect("path")])
            .status();
        let c = Cluster {
            version,
            name,
            port,
            dir,
        };
        run(Command::new("pg_createcluster")
            .args([
                &c.version,
                &c.name,
                "--port",
                &port.to_string(),
                "--datadir",
            ])
            .arg(c.dir.join("data"))
            .args(["--", "--auth-local=trust", "--auth-host=trust"]))
        .unwrap_or_else(|e| panic!("cannot create a PostgreSQL cluster: {e}"));
        c.up();
        c
    }

    fn ctl(&self, action: &[&str]) -> Result<(), String> {
        run(Command::new("pg_ctlcluster")
            .arg("--skip-systemctl-redirect")
            .args([&self.version, &self.name])
            .args(action))
    }

    /// Starts it (again) and waits until it answers.
    pub fn up(&self) {
        self.ctl(&["start"])
            .unwrap_or_else(|e| panic!("cannot start the cluster: {e}"));
        for _ in 0..100 {
            if psql("127.0.0.1", self.port, "postgres", "select 1").is_ok() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("the cluster on port {} did not come up", self.port);
    }

    /// Kills it (immediate shutdown: connections are cut, as when the database crashes).
    pub fn kill(&self) {
        self.ctl(&["stop", "-m", "immediate"])
            .unwrap_or_else(|e| panic!("cannot stop the cluster: {e}"));
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = run(Command::new("pg_dropcluster").args([&self.version, &self.name, "--stop"]));
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
