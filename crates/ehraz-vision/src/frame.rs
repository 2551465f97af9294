//! A borrowed frame in I420 (planar Y, then U and V at half size, rounded up).

/// A frame in I420: a full-size luma plane, then two chroma planes of
/// `width.div_ceil(2)` × `height.div_ceil(2)`, each tightly packed (no row padding).
#[derive(Debug, Clone, Copy)]
pub struct I420<'a> {
    width: u32,
    height: u32,
    data: &'a [u8],
}

/// A buffer that is not an I420 frame of the size given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{len} bytes are not an I420 frame of {width}×{height}")]
pub struct FrameError {
    /// Asked width.
    pub width: u32,
    /// Asked height.
    pub height: u32,
    /// Bytes given.
    pub len: usize,
}

impl<'a> I420<'a> {
    /// Bytes of a `width`×`height` frame.
    pub fn len_for(width: u32, height: u32) -> usize {
        let (w, h) = (width as usize, height as usize);
        w * h + 2 * w.div_ceil(2) * h.div_ceil(2)
    }

    /// Wraps `data`, which must be exactly one frame (at least 2×2).
    pub fn new(width: u32, height: u32, data: &'a [u8]) -> Result<Self, FrameError> {
        if width < 2 || height < 2 || data.len() != Self::len_for(width, height) {
            return Err(FrameError {
                width,
                height,
                len: data.len(),
            });
        }
        Ok(Self {
            width,
            height,
            data,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The luma plane, `width` bytes per row.
    pub fn y(&self) -> &'a [u8] {
        &self.data[..self.width as usize * self.height as usize]
    }

    /// Width (and row length) of each chroma plane.
    pub fn chroma_width(&self) -> usize {
        (self.width as usize).div_ceil(2)
    }

    /// The U (Cb) plane.
    pub fn u(&self) -> &'a [u8] {
        let start = self.width as usize * self.height as usize;
        &self.data[start..start + self.chroma_len()]
    }

    /// The V (Cr) plane.
    pub fn v(&self) -> &'a [u8] {
        let start = self.width as usize * self.height as usize + self.chroma_len();
        &self.data[start..]
    }

    fn chroma_len(&self) -> usize {
        self.chroma_width() * (self.height as usize).div_ceil(2)
    }
}
