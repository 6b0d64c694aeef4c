//! Configuration (CLI + optional JSON/TOML file) and the accept loop.
use crate::app::{self, DropConnection, Options};
use crate::store::Store;
use axum::Router;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::path::PathBuf;
use tower::ServiceExt;

pub const HELP: &str = "journey-emulator: local emulator of the Genesys Cloud Journey API

USAGE: journey-emulator [OPTIONS]

  --host HOST            address to bind (default 127.0.0.1)
  --port PORT            port (default 8787; 0 picks a free port)
  --db PATH              SQLite file (default journey-emulator.db in the cwd)
  --memory               in-memory SQLite (nothing persists; for tests)
  --seed N               seed of the generated data (default 42)
  --client-id ID         OAuth client id (default demo-client)
  --client-secret S      OAuth client secret (default demo-secret)
  --token T              bearer token accepted from the start (repeatable)
  --www DIR              static files served at / (default ./www if it exists)
  --pkg DIR              static files served at /pkg/ (default ./pkg if it exists)
  --config FILE          JSON or TOML file with the same keys (host, port, db, memory, seed,
                         clientId, clientSecret, tokens, www, pkg); flags override it
  --help                 this text

When ready it prints one line: journey-emulator listening on http://HOST:PORT
";

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub db: Option<PathBuf>,
    pub memory: bool,
    pub seed: u64,
    pub client_id: String,
    pub client_secret: String,
    pub tokens: Vec<String>,
    pub www: Option<PathBuf>,
    pub pkg: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 8787,
            db: None,
            memory: false,
            seed: 42,
            client_id: "demo-client".into(),
            client_secret: "demo-secret".into(),
            tokens: vec![],
            www: None,
            pkg: None,
        }
    }
}

fn norm(k: &str) -> String {
    k.chars().filter(|c| *c != '-' && *c != '_').collect::<String>().to_ascii_lowercase()
}

fn apply(cfg: &mut Config, key: &str, val: &str) -> Result<(), String> {
    match norm(key).as_str() {
        "host" => cfg.host = val.to_string(),
        "port" => cfg.port = val.parse().map_err(|_| format!("--port: '{val}' is not a port number"))?,
        "db" => cfg.db = Some(PathBuf::from(val)),
        "memory" => cfg.memory = matches!(val, "true" | "1" | "yes"),
        "seed" => cfg.seed = val.parse().map_err(|_| format!("--seed: '{val}' is not an unsigned integer"))?,
        "clientid" => cfg.client_id = val.to_string(),
        "clientsecret" => cfg.client_secret = val.to_string(),
        "token" | "tokens" => cfg.tokens.push(val.to_string()),
        "www" => cfg.www = Some(PathBuf::from(val)),
        "pkg" => cfg.pkg = Some(PathBuf::from(val)),
        other => return Err(format!("unknown option '{other}'")),
    }
    Ok(())
}

fn load_file(cfg: &mut Config, path: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("--config {path}: {e}"))?;
    let value: serde_json::Value = if path.ends_with(".json") || text.trim_start().starts_with('{') {
        serde_json::from_str(&text).map_err(|e| format!("--config {path}: {e}"))?
    } else {
        let t: toml::Value = toml::from_str(&text).map_err(|e| format!("--config {path}: {e}"))?;
        serde_json::to_value(t).map_err(|e| e.to_string())?
    };
    let obj = value.as_object().ok_or_else(|| format!("--config {path}: not an object"))?;
    for (k, v) in obj {
        match v {
            serde_json::Value::Array(items) => {
                for i in items {
                    apply(cfg, k, &scalar(i))?;
                }
            }
            other => apply(cfg, k, &scalar(other))?,
        }
    }
    Ok(())
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Parses arguments (without the program name). Ok(None) means --help was asked for.
pub fn parse_args(args: &[String]) -> Result<Option<Config>, String> {
    let mut cfg = Config::default();
    if let Some(i) = args.iter().position(|a| a == "--config" || a.starts_with("--config=")) {
        let path = match args[i].split_once('=') {
            Some((_, p)) => p.to_string(),
            None => args.get(i + 1).cloned().ok_or("--config needs a file")?,
        };
        load_file(&mut cfg, &path)?;
    }
    let mut file_tokens = std::mem::take(&mut cfg.tokens);
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--help" || a == "-h" {
            return Ok(None);
        }
        let Some(flag) = a.strip_prefix("--") else { return Err(format!("unexpected argument '{a}'")) };
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag, None),
        };
        if name == "memory" {
            cfg.memory = true;
            i += 1;
            continue;
        }
        let val = match inline {
            Some(v) => v,
            None => {
                i += 1;
                args.get(i).cloned().ok_or_else(|| format!("--{name} needs a value"))?
            }
        };
        if name != "config" {
            apply(&mut cfg, name, &val).map_err(|e| if e.starts_with("unknown") { format!("unknown flag --{name} (see --help)") } else { e })?;
        }
        i += 1;
    }
    file_tokens.append(&mut cfg.tokens);
    cfg.tokens = file_tokens;
    Ok(Some(cfg))
}

pub fn build(cfg: &Config) -> Result<Router, String> {
    let db = if cfg.memory { None } else { Some(cfg.db.clone().unwrap_or_else(|| PathBuf::from("journey-emulator.db"))) };
    let store = Store::open(db.as_deref(), cfg.seed).map_err(|e| format!("cannot open the database: {e}"))?;
    let www = cfg.www.clone().or_else(|| Some(PathBuf::from("www")).filter(|p| p.is_dir()));
    let pkg = cfg.pkg.clone().or_else(|| Some(PathBuf::from("pkg")).filter(|p| p.is_dir()));
    let state = app::state(
        store,
        Options { client_id: cfg.client_id.clone(), client_secret: cfg.client_secret.clone(), tokens: cfg.tokens.clone(), www, pkg },
    );
    Ok(app::router(state))
}

/// Serves HTTP/1.1 on the listener. A response carrying [`DropConnection`] closes the
/// connection without writing anything.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) {
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let app = app.clone();
                async move {
                    let resp = app.oneshot(req.map(axum::body::Body::new)).await.unwrap_or_else(|e| match e {});
                    if resp.extensions().get::<DropConnection>().is_some() {
                        return Err(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "fault: drop_connection"));
                    }
                    Ok(resp)
                }
            });
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), svc).await;
        });
    }
}

/// Binds, announces, serves forever.
pub async fn run(cfg: Config) -> Result<(), String> {
    let app = build(&cfg)?;
    let listener = tokio::net::TcpListener::bind((cfg.host.as_str(), cfg.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", cfg.host, cfg.port))?;
    let addr: SocketAddr = listener.local_addr().map_err(|e| e.to_string())?;
    let host = if addr.is_ipv6() { format!("[{}]", addr.ip()) } else { addr.ip().to_string() };
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "journey-emulator listening on http://{host}:{}", addr.port());
        let _ = out.flush();
    }
    serve(listener, app).await;
    Ok(())
}
