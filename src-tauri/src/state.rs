//! What the commands share: the settings, the backend client, the outbox and the journey
//! under way (one at a time; commands wait their turn).

use ehraz_client::{Client, Journey, KeyStore, Outbox};
use tokio::sync::Mutex;

use crate::capture::CaptureState;
use crate::config::Config;
use crate::error::CommandError;
use crate::kiosk::{InstanceLock, OperatorPin};

/// The app's state, managed by Tauri.
#[derive(Debug)]
pub struct AppState {
    /// The settings.
    pub config: Config,
    /// The backend.
    pub client: Client,
    /// Encrypted storage of every session until its submission is confirmed.
    pub outbox: Outbox,
    /// Submitted sessions, kept (without answers or files) to follow their status.
    pub receipts: Outbox,
    /// The journey under way, once started or resumed.
    pub journey: Mutex<Option<Journey>>,
    /// Shows the main window (it starts hidden until the UI's first screen is drawn).
    pub show_window: ShowWindow,
    /// The camera and what was taken, waiting for review.
    pub capture: CaptureState,
    /// In kiosk mode: the operator's PIN and the lock on the data folder.
    pub kiosk: Option<KioskState>,
}

/// What a running kiosk holds.
#[derive(Debug)]
pub struct KioskState {
    /// The operator's PIN, with its lockout.
    pub pin: std::sync::Mutex<OperatorPin>,
    /// Held as long as the app runs: a second kiosk on the same data stops.
    _lock: InstanceLock,
}

/// Shows the main window; the runtime's window type stays out of the state's type.
pub struct ShowWindow(Box<dyn Fn() -> tauri::Result<()> + Send + Sync>);

impl ShowWindow {
    /// Wraps what shows the window.
    pub fn new(show: impl Fn() -> tauri::Result<()> + Send + Sync + 'static) -> Self {
        Self(Box::new(show))
    }

    /// Shows the window.
    pub fn show(&self) -> tauri::Result<()> {
        (self.0)()
    }
}

impl std::fmt::Debug for ShowWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ShowWindow")
    }
}

impl AppState {
    /// Deletes every saved journey, under way or submitted, including one that no longer
    /// opens.
    pub fn discard_saved(&self) -> Result<(), CommandError> {
        Journey::discard_saved(&self.outbox)?;
        Journey::discard_saved(&self.receipts)?;
        Ok(())
    }

    /// Wipes everything of the person at the kiosk: the camera and what it took, the
    /// journey under way, every saved journey and submission receipt. What the page and
    /// its webview stored is the caller's to clear.
    pub async fn wipe_person(&self) -> Result<(), CommandError> {
        self.capture.close_camera();
        self.capture.discard();
        self.journey.lock().await.take();
        self.discard_saved()
    }

    /// Opens the outbox under `data_dir`; in kiosk mode, takes the kiosk's lock on it
    /// first, and wipes whatever a previous run left of a person.
    pub fn open(config: Config, data_dir: &std::path::Path) -> Result<Self, CommandError> {
        let kiosk = match &config.kiosk {
            Some(settings) => {
                let lock = InstanceLock::take(data_dir)?;
                let pin = OperatorPin::new(settings.pin_hash.clone())?;
                Some(KioskState {
                    pin: std::sync::Mutex::new(pin),
                    _lock: lock,
                })
            }
            None => None,
        };
        let client = Client::new(config.backend_url.clone())
            .map_err(|e| CommandError::new(e.code(), e.to_string()))?;
        let keys = if config.os_key_store {
            KeyStore::detect()
        } else {
            KeyStore::File
        };
        let storage =
            |e: ehraz_client::OutboxError| CommandError::new("storage_failed", e.to_string());
        let outbox = Outbox::with_keys(data_dir.join("outbox"), keys.clone()).map_err(storage)?;
        let receipts = Outbox::with_keys(data_dir.join("submitted"), keys).map_err(storage)?;
        let state = Self {
            config,
            client,
            outbox,
            receipts,
            journey: Mutex::new(None),
            show_window: ShowWindow::new(|| Ok(())),
            capture: CaptureState::default(),
            kiosk,
        };
        if state.kiosk.is_some() {
            // A kiosk that stopped mid-journey (a crash, a power cut) never shows the
            // next person what the last one typed.
            state.discard_saved()?;
        }
        Ok(state)
    }
}
