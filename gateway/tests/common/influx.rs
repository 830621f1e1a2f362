//! InfluxDB 1.6 for the metrics tests of the gateway and the streaming worker (which includes
//! this file): `influxd` on a free port with a temporary folder and the database `scenic`.
//! `apt-get install -y influxdb` provides it (the test command installs it); missing, the test
//! fails and says so.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

// Both including test crates' `common` define `free_port`.
use super::free_port;

pub struct Influx {
    child: Child,
    dir: PathBuf,
    pub port: u16,
}

impl Drop for Influx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Influx {
    /// influxd on `port`, with the database `scenic`.
    pub async fn start(port: u16) -> Influx {
        let dir = std::env::temp_dir().join(format!("scenic-influx-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let rpc = free_port();
        let conf = format!(
            "reporting-disabled = true\nbind-address = \"127.0.0.1:{rpc}\"\n\
             [meta]\n  dir = \"{d}/meta\"\n[data]\n  dir = \"{d}/data\"\n  wal-dir = \"{d}/wal\"\n\
             [http]\n  bind-address = \"127.0.0.1:{port}\"\n  log-enabled = false\n\
             [monitor]\n  store-enabled = false\n",
            d = dir.display()
        );
        let conf_path = dir.join("influxdb.conf");
        std::fs::write(&conf_path, conf).expect("write");
        let child = Command::new("influxd")
            .args(["-config", conf_path.to_str().expect("path")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("influxd is needed (apt-get install -y influxdb; scripts/test installs it)");
        let influx = Influx { child, dir, port };
        let c = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let ping = c.get(format!("http://127.0.0.1:{port}/ping")).send().await;
            if ping.is_ok_and(|r| r.status().as_u16() == 204) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "influxd did not come up"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        influx.query("CREATE DATABASE scenic").await;
        influx
    }

    pub async fn query(&self, q: &str) -> Json {
        reqwest::Client::new()
            .post(format!("http://127.0.0.1:{}/query", self.port))
            .form(&[("q", q), ("db", "scenic")])
            .send()
            .await
            .expect("query")
            .json()
            .await
            .expect("json")
    }
}
