//! What the evaluation tests share: the photos of the evaluation set, and turning an RGB
//! picture into the I420 frames the camera gives (BT.601, limited range, as the capture
//! crate's conversions assume).

#![allow(dead_code)]

use std::path::PathBuf;

use ehraz_vision::I420;
use image::RgbImage;

/// The folder of the evaluation set's photos.
pub fn photos_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("eval/photos")
}

/// One photo of the evaluation set, by file name.
pub fn photo(name: &str) -> RgbImage {
    let path = photos_dir().join(name);
    image::open(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgb8()
}

/// An I420 frame's bytes.
#[derive(Debug, Clone)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

impl Frame {
    /// The view the crate's functions take.
    pub fn view(&self) -> I420<'_> {
        I420::new(self.width, self.height, &self.data).expect("a whole frame")
    }
}

/// `picture` as the camera would give it.
pub fn to_i420(picture: &RgbImage) -> Frame {
    let (width, height) = picture.dimensions();
    let (w, h) = (width as usize, height as usize);
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let mut data = vec![0u8; I420::len_for(width, height)];
    let (y_plane, chroma) = data.split_at_mut(w * h);
    let (u_plane, v_plane) = chroma.split_at_mut(cw * ch);
    for (i, p) in picture.pixels().enumerate() {
        let [r, g, b] = p.0.map(f32::from);
        y_plane[i] = (16.0 + 0.257 * r + 0.504 * g + 0.098 * b).round() as u8;
    }
    for cy in 0..ch {
        for cx in 0..cw {
            // The mean of the (up to) four pixels the chroma sample covers.
            let (mut sum, mut n) = ([0f32; 3], 0f32);
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                let (x, y) = (2 * cx + dx, 2 * cy + dy);
                if x < w && y < h {
                    let p = picture.get_pixel(x as u32, y as u32).0;
                    for c in 0..3 {
                        sum[c] += f32::from(p[c]);
                    }
                    n += 1.0;
                }
            }
            let [r, g, b] = sum.map(|s| s / n);
            u_plane[cy * cw + cx] = (128.0 - 0.148 * r - 0.291 * g + 0.439 * b).round() as u8;
            v_plane[cy * cw + cx] = (128.0 + 0.439 * r - 0.368 * g - 0.071 * b).round() as u8;
        }
    }
    Frame {
        width,
        height,
        data,
    }
}
