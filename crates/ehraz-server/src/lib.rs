//! Ehraz's reference verification backend: the API the client speaks, written down as
//! OpenAPI from this code, and a server a branch, a developer or a test starts with one
//! command. Defaults are embedded: SQLite in a local folder, the development SMS provider
//! (codes printed to the console) and the development Sejam registry (a seed file).

pub mod api;
pub mod clock;
pub mod config;
pub mod error;
pub mod media;
pub mod providers;
mod secret;
pub mod store;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use thiserror::Error;
use tokio::sync::oneshot;
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use api::AppState;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{Config, Limits};
pub use providers::{DevSejam, DevSms};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ehraz verification API",
        description = "The contract between the Ehraz capture client and a verification backend. \
            Errors are `{ code, detail }` with stable codes.",
        license(name = "Apache-2.0 OR MIT"),
    ),
    modifiers(&SessionToken),
    tags(
        (name = "sessions", description = "Verification sessions and flows"),
        (name = "answers", description = "Identity and contact answers"),
        (name = "codes", description = "One-time codes"),
        (name = "status", description = "Verification status"),
        (name = "uploads", description = "Resumable media uploads (tus 1.0)"),
        (name = "submission", description = "Submitting a session with its manifest"),
    )
)]
struct ApiDoc;

struct SessionToken;

impl utoipa::Modify for SessionToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_token",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        components.add_security_scheme(
            "operator_token",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(api::sessions::create))
        .routes(routes!(api::sessions::flow))
        .routes(routes!(api::answers::put))
        .routes(routes!(api::codes::send))
        .routes(routes!(api::codes::verify))
        .routes(routes!(api::status::get))
        .routes(routes!(api::submission::submit))
        .routes(routes!(api::submission::decide))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(api::uploads::options, api::uploads::create))
                .routes(routes!(
                    api::uploads::head,
                    api::uploads::patch,
                    api::uploads::delete
                ))
                .layer(axum::middleware::map_response(api::uploads::tus_resumable)),
        )
}

/// The OpenAPI document of the API, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().split_for_parts().1
}

/// The OpenAPI document as the pretty JSON checked into `openapi.json`.
pub fn openapi_json() -> String {
    let mut json = openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

/// The whole HTTP application, its OpenAPI document served at `/openapi.json`.
pub fn app(state: AppState) -> Router {
    let (router, api) = routes().split_for_parts();
    let api = axum::Json(api);
    router
        .route("/openapi.json", get(move || async move { api }))
        .with_state(state)
}

/// Why the server did not start.
#[derive(Debug, Error)]
pub enum StartError {
    /// The data folder or the listening socket.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The database.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The migrations.
    #[error("database migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The Sejam seed file.
    #[error("Sejam seed: {0}")]
    Seed(#[from] providers::ProviderError),
    /// The message catalogues.
    #[error("messages: {0}")]
    Catalog(#[from] ehraz_i18n::CatalogError),
}

/// A server running in this process.
#[derive(Debug)]
pub struct RunningServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The development SMS provider it sends through.
    pub sms: Arc<DevSms>,
    /// The operator's bearer token.
    pub admin_token: String,
    shutdown: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Stops accepting, finishes requests under way, and returns.
    pub async fn stop(self) -> std::io::Result<()> {
        let _ = self.shutdown.send(());
        self.task.await.unwrap_or(Ok(()))
    }

    /// Runs until the task ends (for the binary: until Ctrl+C).
    pub async fn wait(self) -> std::io::Result<()> {
        let _keep_open = self.shutdown;
        self.task.await.unwrap_or(Ok(()))
    }
}

/// How often unfinished uploads past their expiry are removed while running.
const SWEEP_INTERVAL: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes expired uploads every `interval`, for as long as the server runs.
async fn sweep_every(interval: std::time::Duration, state: AppState) {
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tick.tick().await;
        match api::uploads::sweep_expired(&state).await {
            Ok(0) => {}
            Ok(swept) => tracing::info!(swept, "expired uploads removed"),
            Err(e) => tracing::warn!(code = e.code(), "sweeping expired uploads failed"),
        }
    }
}

/// Starts the server with the development providers.
pub async fn start(config: Config, clock: Arc<dyn Clock>) -> Result<RunningServer, StartError> {
    tokio::fs::create_dir_all(&config.data_dir).await?;
    let store = store::Store::connect(&config.database_url)
        .await
        .map_err(|e| match e {
            sqlx::Error::Migrate(m) => StartError::Migration(*m),
            other => StartError::Database(other),
        })?;
    let seed = match &config.sejam_seed {
        Some(path) => tokio::fs::read_to_string(path).await?,
        None => providers::BUNDLED_SEJAM_SEED.to_owned(),
    };
    let sejam = Arc::new(DevSejam::from_seed(&seed)?);
    let sms = Arc::new(DevSms::new(config.print_sms));
    let catalog = Arc::new(ehraz_i18n::Catalog::new(config.locale)?);
    let media = Arc::new(media::DiskStore::open(config.data_dir.join("media")).await?);
    let admin_token = config.admin_token.clone().unwrap_or_else(|| {
        let token = secret::token();
        eprintln!("ehraz-server: operator token for this run: {token}");
        token
    });
    let state = AppState {
        store,
        sms: sms.clone(),
        sejam,
        clock,
        limits: config.limits,
        catalog,
        media,
        admin_token_hash: secret::hash(&[&admin_token]),
        in_flight: Arc::default(),
    };
    let swept = api::uploads::sweep_expired(&state)
        .await
        .map_err(|e| std::io::Error::other(e.code().to_owned()))?;
    if swept > 0 {
        tracing::info!(swept, "expired uploads removed");
    }
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let (shutdown, stopped) = oneshot::channel::<()>();
    let sweeper = state.clone();
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, service).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        tokio::select! {
            served = serve => served,
            () = sweep_every(SWEEP_INTERVAL, sweeper) => Ok(()),
        }
    });
    tracing::info!(%addr, "listening");
    Ok(RunningServer {
        addr,
        sms,
        admin_token,
        shutdown,
        task,
    })
}
