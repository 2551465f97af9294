//! The file-backed camera: a YUV4MPEG2 (`.y4m`) file played at its own frame rate, looped
//! if asked, so tests, demos and machines without a camera see a camera that behaves
//! like one.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use bytes::{Bytes, BytesMut};

use crate::frame::Playback;
use crate::{CaptureError, Frame, FrameSource, PixelFormat, SourceInfo};

/// A `.y4m` file as a camera.
pub struct Y4mSource {
    path: PathBuf,
    decoder: y4m::Decoder<BufReader<File>>,
    info: SourceInfo,
    looping: bool,
    playback: Playback,
}

impl std::fmt::Debug for Y4mSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Y4mSource")
            .field("path", &self.path)
            .field("info", &self.info)
            .field("sequence", &self.playback.sequence())
            .finish_non_exhaustive()
    }
}

impl Y4mSource {
    /// Opens a file of 8-bit 4:2:0 frames. With `looping`, it starts over at its end,
    /// as a camera never ends; otherwise the end is [`CaptureError::Ended`].
    pub fn open(path: impl AsRef<Path>, looping: bool) -> Result<Self, CaptureError> {
        let path = path.as_ref().to_path_buf();
        let decoder = decoder(&path)?;
        let rate = decoder.get_framerate();
        let info = SourceInfo {
            name: format!(
                "file {}",
                path.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            ),
            width: dimension(decoder.get_width())?,
            height: dimension(decoder.get_height())?,
            frame_rate: (dimension(rate.num)?, dimension(rate.den)?),
            format: PixelFormat::I420,
        };
        if info.frame_rate.0 == 0 || info.frame_rate.1 == 0 {
            return Err(CaptureError::Unsupported("a frame rate of zero".into()));
        }
        Ok(Self {
            path,
            decoder,
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

    fn read(&mut self) -> Result<Option<Bytes>, CaptureError> {
        match self.decoder.read_frame() {
            Ok(frame) => {
                let mut data = BytesMut::with_capacity(
                    self.info
                        .format
                        .frame_len(self.info.width, self.info.height),
                );
                data.extend_from_slice(frame.get_y_plane());
                data.extend_from_slice(frame.get_u_plane());
                data.extend_from_slice(frame.get_v_plane());
                Ok(Some(data.freeze()))
            }
            Err(y4m::Error::EOF) => Ok(None),
            Err(y4m::Error::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                Ok(None)
            }
            Err(e) => Err(stream_error(e)),
        }
    }
}

impl FrameSource for Y4mSource {
    fn info(&self) -> SourceInfo {
        self.info.clone()
    }

    fn next_frame(&mut self) -> Result<Frame, CaptureError> {
        let data = match self.read()? {
            Some(data) => data,
            None if self.looping => {
                self.decoder = decoder(&self.path)?;
                self.read()?
                    .ok_or_else(|| CaptureError::Unsupported("a file without frames".into()))?
            }
            None => return Err(CaptureError::Ended),
        };
        Ok(self.playback.frame(&self.info, data))
    }
}

fn decoder(path: &Path) -> Result<y4m::Decoder<BufReader<File>>, CaptureError> {
    let decoder = y4m::decode(BufReader::new(File::open(path)?)).map_err(stream_error)?;
    let colorspace = decoder.get_colorspace();
    let supported = matches!(
        colorspace,
        y4m::Colorspace::C420
            | y4m::Colorspace::C420jpeg
            | y4m::Colorspace::C420paldv
            | y4m::Colorspace::C420mpeg2
    );
    if !supported {
        return Err(CaptureError::Unsupported(format!(
            "colour space {colorspace:?} (8-bit 4:2:0 only)"
        )));
    }
    Ok(decoder)
}

fn dimension(value: usize) -> Result<u32, CaptureError> {
    u32::try_from(value).map_err(|_| CaptureError::Unsupported(format!("a size of {value}")))
}

fn stream_error(error: y4m::Error) -> CaptureError {
    match error {
        y4m::Error::IoError(e) => CaptureError::Io(e),
        other => CaptureError::Unsupported(format!("{other:?}")),
    }
}
