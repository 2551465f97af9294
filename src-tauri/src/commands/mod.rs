//! The commands the UI may call, one module per domain. Each adapts a call of
//! `ehraz-client`'s journey and returns [`crate::error::CommandError`] on failure.

pub mod app;
pub mod capture;
pub mod codes;
pub mod kiosk;
pub mod submission;
pub mod wizard;

use ehraz_client::Journey;
use tokio::sync::MutexGuard;

use crate::error::CommandError;

/// The journey under way, or `no_session`.
fn under_way<'a>(
    guard: &'a mut MutexGuard<'_, Option<Journey>>,
) -> Result<&'a mut Journey, CommandError> {
    guard.as_mut().ok_or_else(CommandError::no_session)
}
