//! The frame's luma shrunk to about 180 rows: the small picture most checks read, and
//! (halved again) what the motion check keeps from one frame to the next.
//!
//! Shrinking by a whole factor (a box mean) keeps it cheap, and makes the checks see about
//! the same picture whatever the camera's resolution.

use crate::frame::I420;
use crate::geometry::Rect;

/// A small luma picture of a frame: each pixel the mean of `factor`×`factor` frame pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    width: usize,
    height: usize,
    factor: usize,
    frame_width: u32,
    frame_height: u32,
    pixels: Vec<u8>,
}

/// A thumbnail's pixel bounds: left, top, right, bottom (right and bottom exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bounds {
    /// First column.
    pub left: usize,
    /// First row.
    pub top: usize,
    /// One past the last column.
    pub right: usize,
    /// One past the last row.
    pub bottom: usize,
}

impl Bounds {
    /// Columns covered.
    pub fn width(&self) -> usize {
        self.right.saturating_sub(self.left)
    }

    /// Rows covered.
    pub fn height(&self) -> usize {
        self.bottom.saturating_sub(self.top)
    }

    /// Pixels covered.
    pub fn area(&self) -> usize {
        self.width() * self.height()
    }

    /// Whether (`x`, `y`) is inside.
    pub fn contains(&self, x: usize, y: usize) -> bool {
        (self.left..self.right).contains(&x) && (self.top..self.bottom).contains(&y)
    }
}

impl Thumbnail {
    /// Rows a thumbnail aims for: the frame is shrunk by `height / ROWS` (at least 1).
    pub const ROWS: u32 = 180;

    /// The thumbnail of `frame`'s luma.
    pub fn of(frame: &I420<'_>) -> Self {
        let factor = (frame.height() / Self::ROWS).max(1) as usize;
        let (width, height) = (
            frame.width() as usize / factor,
            frame.height() as usize / factor,
        );
        let (luma, stride) = (frame.y(), frame.width() as usize);
        // One copy of the loop per common factor, so the block sums unroll.
        let pixels = match factor {
            1 => shrink::<1>(luma, stride, width, height),
            2 => shrink::<2>(luma, stride, width, height),
            3 => shrink::<3>(luma, stride, width, height),
            4 => shrink::<4>(luma, stride, width, height),
            5 => shrink::<5>(luma, stride, width, height),
            6 => shrink::<6>(luma, stride, width, height),
            8 => shrink::<8>(luma, stride, width, height),
            _ => shrink_any(luma, stride, width, height, factor),
        };
        Self {
            width,
            height,
            factor,
            frame_width: frame.width(),
            frame_height: frame.height(),
            pixels,
        }
    }

    /// This thumbnail shrunk by two again (each pixel the mean of 2×2).
    pub fn halved(&self) -> Self {
        let (width, height) = (self.width / 2, self.height / 2);
        let mut pixels = Vec::with_capacity(width * height);
        for row in 0..height {
            let top = &self.pixels[2 * row * self.width..][..2 * width];
            let bottom = &self.pixels[(2 * row + 1) * self.width..][..2 * width];
            pixels.extend(
                top.chunks_exact(2)
                    .zip(bottom.chunks_exact(2))
                    .map(|(t, b)| {
                        ((u16::from(t[0])
                            + u16::from(t[1])
                            + u16::from(b[0])
                            + u16::from(b[1])
                            + 2)
                            / 4) as u8
                    }),
            );
        }
        Self {
            width,
            height,
            factor: self.factor * 2,
            pixels,
            ..*self
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// How many frame pixels across one of its pixels stands for.
    pub fn factor(&self) -> usize {
        self.factor
    }

    /// The size of the frame it was made from.
    pub fn frame_size(&self) -> (u32, u32) {
        (self.frame_width, self.frame_height)
    }

    /// Its pixels, row by row.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// One row.
    pub fn row(&self, y: usize) -> &[u8] {
        &self.pixels[y * self.width..(y + 1) * self.width]
    }

    /// The pixel at (`x`, `y`).
    pub fn at(&self, x: usize, y: usize) -> u8 {
        self.pixels[y * self.width + x]
    }

    /// The pixels `rect` (normalised frame coordinates) covers, clamped to the thumbnail.
    pub fn bounds(&self, rect: &Rect) -> Bounds {
        // The thumbnail drops the frame's last `factor - 1` rows and columns at most, so
        // normalised coordinates scale by the frame's size over the factor.
        let sx = self.frame_width as f32 / self.factor as f32;
        let sy = self.frame_height as f32 / self.factor as f32;
        let clamp = |v: f32, max: usize| (v.round().max(0.0) as usize).min(max);
        Bounds {
            left: clamp(rect.x * sx, self.width),
            top: clamp(rect.y * sy, self.height),
            right: clamp(rect.right() * sx, self.width),
            bottom: clamp(rect.bottom() * sy, self.height),
        }
    }
}

/// `luma` (rows of `stride`) shrunk by `F` to `width`×`height`: block means, rounded.
fn shrink<const F: usize>(luma: &[u8], stride: usize, width: usize, height: usize) -> Vec<u8> {
    let area = (F * F) as u16;
    let mut pixels = vec![0u8; width * height];
    let mut sums = vec![0u16; width * F];
    for (row, out) in pixels.chunks_exact_mut(width.max(1)).enumerate() {
        sums.fill(0);
        for r in 0..F {
            let start = (row * F + r) * stride;
            for (sum, &p) in sums.iter_mut().zip(&luma[start..start + width * F]) {
                *sum += u16::from(p);
            }
        }
        // A block's sum is at most 64 × 255: 16 bits still.
        for (o, block) in out.iter_mut().zip(sums.as_chunks::<F>().0) {
            let total: u16 = block.iter().sum();
            *o = ((total + area / 2) / area) as u8;
        }
    }
    pixels
}

/// As [`shrink`], for any factor.
fn shrink_any(luma: &[u8], stride: usize, width: usize, height: usize, factor: usize) -> Vec<u8> {
    let area = (factor * factor) as u32;
    let mut pixels = Vec::with_capacity(width * height);
    let mut sums = vec![0u32; width * factor];
    for row in 0..height {
        sums.fill(0);
        for r in 0..factor {
            let start = (row * factor + r) * stride;
            for (sum, &p) in sums.iter_mut().zip(&luma[start..start + width * factor]) {
                *sum += u32::from(p);
            }
        }
        pixels.extend(
            sums.chunks_exact(factor)
                .map(|block| ((block.iter().sum::<u32>() + area / 2) / area) as u8),
        );
    }
    pixels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(width: u32, height: u32, luma: impl Fn(u32, u32) -> u8) -> Vec<u8> {
        let mut data = vec![128u8; I420::len_for(width, height)];
        for y in 0..height {
            for x in 0..width {
                data[(y * width + x) as usize] = luma(x, y);
            }
        }
        data
    }

    #[test]
    fn a_720p_frame_shrinks_by_four_to_320_by_180_and_keeps_the_mean() {
        let data = frame(1280, 720, |x, y| ((x / 4 + y / 4) % 256) as u8);
        let thumb = Thumbnail::of(&I420::new(1280, 720, &data).unwrap());
        assert_eq!(
            (thumb.width(), thumb.height(), thumb.factor()),
            (320, 180, 4)
        );
        assert_eq!(thumb.at(10, 20), 30);
        let half = thumb.halved();
        assert_eq!((half.width(), half.height(), half.factor()), (160, 90, 8));
        // The mean of thumbnail pixels (10..12, 10..12): (20 + 21 + 21 + 22) / 4.
        assert_eq!(half.at(5, 5), 21);
    }

    #[test]
    fn every_factor_gives_the_block_means() {
        let (w, h) = (96usize, 54usize);
        let luma: Vec<u8> = (0..w * h).map(|i| ((i * 37) % 251) as u8).collect();
        let luma = luma.as_slice();
        for factor in 1..=9 {
            let (tw, th) = (w / factor, h / factor);
            let fast = match factor {
                1 => shrink::<1>(luma, w, tw, th),
                2 => shrink::<2>(luma, w, tw, th),
                3 => shrink::<3>(luma, w, tw, th),
                4 => shrink::<4>(luma, w, tw, th),
                5 => shrink::<5>(luma, w, tw, th),
                6 => shrink::<6>(luma, w, tw, th),
                8 => shrink::<8>(luma, w, tw, th),
                _ => shrink_any(luma, w, tw, th, factor),
            };
            let any = shrink_any(luma, w, tw, th, factor);
            assert_eq!(fast, any, "factor {factor}");
            // The first block's mean, by hand.
            let sum: u32 = (0..factor)
                .flat_map(|y| (0..factor).map(move |x| u32::from(luma[y * w + x])))
                .sum();
            let area = (factor * factor) as u32;
            assert_eq!(
                u32::from(any[0]),
                (sum + area / 2) / area,
                "factor {factor}"
            );
        }
    }

    #[test]
    fn bounds_of_the_same_rect_cover_the_same_share_at_any_resolution() {
        let rect = Rect {
            x: 0.25,
            y: 0.1,
            width: 0.5,
            height: 0.8,
        };
        for (w, h) in [(640, 480), (1280, 720), (1920, 1080), (642, 362)] {
            let data = frame(w, h, |_, _| 0);
            let thumb = Thumbnail::of(&I420::new(w, h, &data).unwrap());
            let b = thumb.bounds(&rect);
            let share_x = b.width() as f32 / thumb.width() as f32;
            let share_y = b.height() as f32 / thumb.height() as f32;
            assert!((share_x - 0.5).abs() < 0.01, "{w}×{h}: {share_x}");
            assert!((share_y - 0.8).abs() < 0.01, "{w}×{h}: {share_y}");
        }
    }
}
