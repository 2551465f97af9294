//! A folder of pictures as a camera: its JPEG and PNG files, in the order of their names,
//! played as I420 frames at a chosen rate, looped if asked. For demos and tests with real
//! photographs (a face, a card, a signature) where a Y4M file is awkward to make.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use image::{DynamicImage, ImageDecoder, ImageError, ImageReader};

use crate::device::convert;
use crate::frame::Playback;
use crate::{CaptureError, Frame, FrameSource, PixelFormat, SourceInfo};

/// A folder of `.jpg`/`.jpeg`/`.png` files as a camera.
///
/// Every picture must have the first one's size (after its EXIF orientation is applied):
/// a camera gives one size, and scaling would pass a wrong picture off silently, so a
/// picture of another size is an error when its turn comes. Pictures are decoded one at a
/// time, when due; only the current one is held.
#[derive(Debug)]
pub struct ImageFolderSource {
    files: Vec<PathBuf>,
    next: usize,
    decoded: Option<Bytes>,
    info: SourceInfo,
    looping: bool,
    playback: Playback,
}

impl ImageFolderSource {
    /// Opens `dir`, playing its pictures at `frame_rate` (frames per second as numerator,
    /// denominator). With `looping`, it starts over after the last picture; otherwise the
    /// end is [`CaptureError::Ended`]. The first picture is decoded now, to learn the size.
    pub fn open(
        dir: impl AsRef<Path>,
        frame_rate: (u32, u32),
        looping: bool,
    ) -> Result<Self, CaptureError> {
        let dir = dir.as_ref();
        if frame_rate.0 == 0 || frame_rate.1 == 0 {
            return Err(CaptureError::Unsupported("a frame rate of zero".into()));
        }
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let picture = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["jpg", "jpeg", "png"].contains(&e.to_ascii_lowercase().as_str()));
            if picture && path.is_file() {
                files.push(path);
            }
        }
        files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        let first = files.first().ok_or_else(|| {
            CaptureError::Unsupported(format!("no JPEG or PNG pictures in {}", dir.display()))
        })?;
        let (width, height, data) = decode(first)?;
        let info = SourceInfo {
            name: format!(
                "folder {}",
                dir.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            ),
            width,
            height,
            frame_rate,
            format: PixelFormat::I420,
        };
        Ok(Self {
            files,
            next: 1,
            decoded: Some(data),
            info,
            looping,
            playback: Playback::default(),
        })
    }

    /// Gives frames as fast as they are asked for, with the timestamps they would have
    /// had in real time (for tests and encoders that need no pacing).
    pub fn unpaced(mut self) -> Self {
        self.playback.unpace();
        self
    }

    /// The picture files it plays, in order.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    fn picture(&mut self) -> Result<Bytes, CaptureError> {
        if let Some(data) = self.decoded.take() {
            return Ok(data);
        }
        if self.next == self.files.len() {
            if !self.looping {
                return Err(CaptureError::Ended);
            }
            self.next = 0;
        }
        let path = &self.files[self.next];
        let (width, height, data) = decode(path)?;
        if (width, height) != (self.info.width, self.info.height) {
            return Err(CaptureError::Unsupported(format!(
                "{} is {width}×{height}, not {}×{} as the first picture",
                path.display(),
                self.info.width,
                self.info.height
            )));
        }
        self.next += 1;
        Ok(data)
    }
}

impl FrameSource for ImageFolderSource {
    fn info(&self) -> SourceInfo {
        self.info.clone()
    }

    fn next_frame(&mut self) -> Result<Frame, CaptureError> {
        let data = self.picture()?;
        Ok(self.playback.frame(&self.info, data))
    }
}

/// A picture file, turned upright as its EXIF orientation says, as I420.
fn decode(path: &Path) -> Result<(u32, u32, Bytes), CaptureError> {
    let failed = |error: ImageError| match error {
        ImageError::IoError(e) => CaptureError::Io(e),
        other => CaptureError::Unsupported(format!("{}: {other}", path.display())),
    };
    let mut decoder = ImageReader::open(path)?
        .with_guessed_format()?
        .into_decoder()
        .map_err(failed)?;
    let orientation = decoder.orientation().map_err(failed)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(failed)?;
    picture.apply_orientation(orientation);
    let rgb = picture.into_rgb8();
    let (width, height) = rgb.dimensions();
    let data = convert::rgb_to_i420(width, height, rgb.as_raw())
        .map_err(|e| CaptureError::Unsupported(e.to_string()))?;
    Ok((width, height, Bytes::from(data)))
}
