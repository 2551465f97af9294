//! Counts of luma values, and the statistics the checks take from them.

/// How many pixels have each of the 256 luma values.
#[derive(Debug, Clone)]
pub(crate) struct Histogram {
    counts: [u32; 256],
    total: u32,
}

impl Histogram {
    /// An empty histogram.
    pub(crate) fn new() -> Self {
        Self {
            counts: [0; 256],
            total: 0,
        }
    }

    /// Counts one pixel.
    pub(crate) fn add(&mut self, value: u8) {
        self.counts[usize::from(value)] += 1;
        self.total += 1;
    }

    /// Counts every pixel of `values`.
    pub(crate) fn extend(&mut self, values: &[u8]) {
        for &v in values {
            self.counts[usize::from(v)] += 1;
        }
        self.total += values.len() as u32;
    }

    /// Pixels counted.
    pub(crate) fn total(&self) -> u32 {
        self.total
    }

    /// The value below which a share `p` (0 to 1) of the pixels lie; 0 when empty.
    pub(crate) fn percentile(&self, p: f32) -> f32 {
        if self.total == 0 {
            return 0.0;
        }
        let rank = (p.clamp(0.0, 1.0) * (self.total - 1) as f32).round() as u32;
        let mut seen = 0;
        for (value, &count) in self.counts.iter().enumerate() {
            seen += count;
            if seen > rank {
                return value as f32;
            }
        }
        255.0
    }

    /// The mean value; 0 when empty.
    pub(crate) fn mean(&self) -> f32 {
        if self.total == 0 {
            return 0.0;
        }
        let sum: u64 = self
            .counts
            .iter()
            .enumerate()
            .map(|(v, &c)| v as u64 * u64::from(c))
            .sum();
        sum as f32 / self.total as f32
    }

    /// The share of pixels at `value` or above.
    pub(crate) fn share_at_least(&self, value: u8) -> f32 {
        self.share(&self.counts[usize::from(value)..])
    }

    /// The share of pixels at `value` or below.
    pub(crate) fn share_at_most(&self, value: u8) -> f32 {
        self.share(&self.counts[..=usize::from(value)])
    }

    fn share(&self, counts: &[u32]) -> f32 {
        if self.total == 0 {
            return 0.0;
        }
        counts.iter().sum::<u32>() as f32 / self.total as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_mean_and_shares_of_a_ramp() {
        let mut h = Histogram::new();
        let values: Vec<u8> = (0..=100).collect();
        h.extend(&values);
        assert_eq!(h.total(), 101);
        assert_eq!(h.percentile(0.5), 50.0);
        assert_eq!(h.percentile(0.1), 10.0);
        assert_eq!(h.percentile(1.0), 100.0);
        assert!((h.mean() - 50.0).abs() < 1e-4);
        assert!((h.share_at_least(91) - 10.0 / 101.0).abs() < 1e-6);
        assert!((h.share_at_most(9) - 10.0 / 101.0).abs() < 1e-6);
        h.add(255);
        assert_eq!(h.percentile(1.0), 255.0);
    }
}
