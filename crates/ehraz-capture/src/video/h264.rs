//! H.264 with OpenH264 (built from its bundled source), one thread, bitrate-controlled,
//! with a keyframe at least every `keyframe_interval` of media time.

use std::time::Duration;

use openh264::OpenH264API;
use openh264::encoder::{
    BitRate, Encoder, EncoderConfig, FrameRate, FrameType, IntraFramePeriod, RateControlMode,
    UsageType,
};
use openh264::formats::YUVSlices;

use super::{VideoError, VideoSettings};
use crate::{Frame, PixelFormat};

/// One encoded picture: Annex-B NAL units (the first one carries SPS and PPS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedFrame {
    /// Annex-B bytes (start codes and NAL units).
    pub annex_b: Vec<u8>,
    /// Whether a decoder can start here (an IDR or I picture).
    pub keyframe: bool,
}

/// An H.264 encoder for frames of one size, on the calling thread.
pub struct H264Encoder {
    encoder: Encoder,
    width: u32,
    height: u32,
    keyframe_interval: Duration,
    last_keyframe: Option<Duration>,
}

impl std::fmt::Debug for H264Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("H264Encoder")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("keyframe_interval", &self.keyframe_interval)
            .finish_non_exhaustive()
    }
}

impl H264Encoder {
    /// An encoder for `width`×`height` frames (both even, as 4:2:0 H.264 wants) with
    /// `settings`' bitrate, frame rate and keyframe interval.
    pub fn new(width: u32, height: u32, settings: &VideoSettings) -> Result<Self, VideoError> {
        if width == 0 || height == 0 || !width.is_multiple_of(2) || !height.is_multiple_of(2) {
            return Err(VideoError::OddSize { width, height });
        }
        let frames_per_keyframe =
            (settings.keyframe_interval.as_secs_f32() * settings.frame_rate).floor() as u32;
        let config = EncoderConfig::new()
            .usage_type(UsageType::CameraVideoRealTime)
            .rate_control_mode(RateControlMode::Bitrate)
            .bitrate(BitRate::from_bps(settings.bitrate_bps))
            .max_frame_rate(FrameRate::from_hz(settings.frame_rate))
            // Every frame the recorder hands over is in the file: no frames skipped to
            // meet the bitrate (they would leave holes the player fills by repeating).
            .skip_frames(false)
            .intra_frame_period(IntraFramePeriod::from_num_frames(
                frames_per_keyframe.max(1),
            ))
            .num_threads(1);
        let encoder = Encoder::with_api_config(OpenH264API::from_source(), config)
            .map_err(|e| VideoError::Encoder(e.to_string()))?;
        Ok(Self {
            encoder,
            width,
            height,
            keyframe_interval: settings.keyframe_interval,
            last_keyframe: None,
        })
    }

    /// Encodes `frame`, shown at media time `pts`. `None` if the encoder gave nothing
    /// for it (it should not, frame skipping being off).
    pub fn encode(
        &mut self,
        frame: &Frame,
        pts: Duration,
    ) -> Result<Option<EncodedFrame>, VideoError> {
        if (frame.width, frame.height) != (self.width, self.height) {
            return Err(VideoError::SizeChanged {
                expected: (self.width, self.height),
                actual: (frame.width, frame.height),
            });
        }
        let PixelFormat::I420 = frame.format;
        let (w, h) = (self.width as usize, self.height as usize);
        let expected = frame.format.frame_len(self.width, self.height);
        if frame.data.len() != expected {
            return Err(VideoError::FrameSize {
                expected,
                actual: frame.data.len(),
            });
        }
        // The frame rate may differ from the one configured: keep the promise on
        // media time, not on frame counts.
        if self
            .last_keyframe
            .is_none_or(|last| pts.saturating_sub(last) >= self.keyframe_interval)
        {
            self.encoder.force_intra_frame();
        }
        let (y, chroma) = frame.data.split_at(w * h);
        let (u, v) = chroma.split_at(w / 2 * (h / 2));
        let yuv = YUVSlices::new((y, u, v), (w, h), (w, w / 2, w / 2));
        let timestamp =
            openh264::Timestamp::from_millis(u64::try_from(pts.as_millis()).unwrap_or(u64::MAX));
        let stream = self
            .encoder
            .encode_at(&yuv, timestamp)
            .map_err(|e| VideoError::Encoder(e.to_string()))?;
        let keyframe = matches!(stream.frame_type(), FrameType::IDR | FrameType::I);
        let annex_b = stream.to_vec();
        if annex_b.is_empty() || stream.frame_type() == FrameType::Skip {
            return Ok(None);
        }
        if keyframe {
            self.last_keyframe = Some(pts);
        }
        Ok(Some(EncodedFrame { annex_b, keyframe }))
    }
}
