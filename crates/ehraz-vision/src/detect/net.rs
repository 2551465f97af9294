//! Runs a small convolutional network read from ONNX: the ops BlazeFace is made of
//! (convolutions, depthwise ones among them, ReLU, residual adds, 2×2 max pooling,
//! channel padding), on one thread, with the CPU's vector instructions picked at run
//! time (AVX2 and FMA on x86-64, NEON on ARM64, plain code elsewhere).
//!
//! Tensors are kept pixel by pixel with their channels side by side (NHWC), each pixel's
//! channels padded with zeros to a multiple of 8 so they split into whole vectors, and
//! each image surrounded by a zero border, so that a convolution's padding is read
//! rather than tested for. A 1×1 convolution takes the residual add and the ReLU after
//! it into its own pass, and a residual's zero channels are never written out.
//! The input may be any height and width that are multiples of 16; the model's square
//! is only what it was trained on.

use std::collections::HashMap;

use pulp::{Arch, Simd, WithSimd};

use super::DetectError;
use super::onnx::{Attribute, Graph, Node, WeightData};

/// Zero pixels around every image: enough for the largest padding a convolution asks.
const BORDER: usize = 2;
/// Where the input is kept among the values.
const INPUT_SLOT: usize = 0;
/// Channels are padded to a multiple of this (the widest vector used, 8 × f32).
const CHANNEL_ALIGN: usize = 8;

/// An image of `h`×`w` pixels of `c` channels, stored with a border and padded
/// channels (see the module's doc).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tensor {
    h: usize,
    w: usize,
    c: usize,
    cs: usize,
    data: Vec<f32>,
}

impl Tensor {
    /// A zero tensor of `h`×`w`×`c`, channels stored `cs` apart.
    fn zeros(h: usize, w: usize, c: usize, cs: usize) -> Self {
        Self {
            h,
            w,
            c,
            cs,
            data: vec![0.0; (h + 2 * BORDER) * (w + 2 * BORDER) * cs],
        }
    }

    /// Where pixel (`y`, `x`) of the image starts in `data`; `y` and `x` may reach
    /// `BORDER` pixels outside the image.
    #[inline(always)]
    fn at(&self, y: isize, x: isize) -> usize {
        let (y, x) = (y + BORDER as isize, x + BORDER as isize);
        (y as usize * (self.w + 2 * BORDER) + x as usize) * self.cs
    }

    /// Row `y` of the image (no border): `w` pixels of `c` channels, `cs` apart.
    pub fn row_mut(&mut self, y: usize) -> &mut [f32] {
        let start = self.at(y as isize, 0);
        &mut self.data[start..start + self.w * self.cs]
    }

    /// Channels stored per pixel.
    pub fn stride(&self) -> usize {
        self.cs
    }
}

/// One of the network's outputs: `rows` rows of `k` values, read from an
/// `grid.0`×`grid.1` map (row by row, then the values of each cell).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Output {
    /// Height and width of the map the rows were read from.
    pub grid: (usize, usize),
    /// Values per row.
    pub k: usize,
    /// `grid.0 × grid.1 × (channels / k)` rows of `k` values.
    pub data: Vec<f32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// The ONNX value is NHWC (as the input is).
    Nhwc,
    /// The ONNX value is NCHW (what the convolutions take).
    Nchw,
    /// The ONNX value is the NHWC map reshaped to rows of `k`.
    Rows(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kernel {
    /// 1×1, stride 1: `weights[ci][co]`.
    Pointwise,
    /// 3×3, one filter per channel: `weights[tap][c]`.
    Depthwise,
    /// Any size: `weights[ky][kx][ci][co]`.
    Full { kh: usize, kw: usize },
}

#[derive(Debug)]
struct Conv {
    kernel: Kernel,
    stride: usize,
    /// Top and left padding.
    pad: (usize, usize),
    /// Top plus bottom, and left plus right padding.
    pads_total: (usize, usize),
    cout: usize,
    weights: Vec<f32>,
    bias: Vec<f32>,
}

#[derive(Debug)]
enum OpKind {
    Conv {
        conv: Conv,
        /// Whether the op's second input is added to the result (a 1×1 convolution's
        /// residual); it may have fewer channels (the rest are zeros).
        residual: bool,
        relu: bool,
    },
    Add {
        relu: bool,
    },
    Relu,
    MaxPool2,
    /// Zero channels appended: `c` channels in all.
    PadChannels {
        c: usize,
    },
}

/// One op, reading and writing values by slot.
#[derive(Debug)]
struct Op {
    kind: OpKind,
    inputs: Vec<usize>,
    output: usize,
}

/// A network, compiled once, run on inputs of any multiple-of-16 size.
#[derive(Debug)]
pub(super) struct Network {
    ops: Vec<Op>,
    input_channels: usize,
    outputs: Vec<(usize, usize)>,
    slots: usize,
    arch: Arch,
    /// Each value's tensor, kept between runs of the same input size.
    scratch: HashMap<(usize, usize), Vec<Option<Tensor>>>,
}

fn align(c: usize) -> usize {
    c.div_ceil(CHANNEL_ALIGN) * CHANNEL_ALIGN
}

/// A node read from the graph, before fusing.
#[derive(Debug)]
struct Step<'g> {
    node: &'g Node,
    kind: OpKind,
    inputs: Vec<&'g str>,
    output: &'g str,
}

impl Network {
    /// Compiles `graph`, whose one input is NHWC RGB images.
    pub fn new(graph: &Graph) -> Result<Self, DetectError> {
        let [input_name] = graph.inputs.as_slice() else {
            return Err(DetectError::Unsupported(format!(
                "{} inputs, not one",
                graph.inputs.len()
            )));
        };
        let input_channels = 3;
        // Names of the same data (transposes and reshapes), and each value's layout
        // and channel count.
        let mut same: HashMap<&str, &str> = HashMap::new();
        let mut shape: HashMap<&str, (Layout, usize)> = HashMap::new();
        shape.insert(input_name, (Layout::Nhwc, input_channels));
        let mut steps: Vec<Step> = Vec::new();
        for node in &graph.nodes {
            let [output] = node.outputs.as_slice() else {
                return Err(node.unsupported("not one output"));
            };
            let output = output.as_str();
            // The values read (not weights), by their own names (for their layout) and
            // by the names of their data.
            let read: Vec<&str> = node
                .inputs
                .iter()
                .filter(|name| !name.is_empty() && !graph.weights.contains_key(*name))
                .map(String::as_str)
                .collect();
            let inputs: Vec<&str> = read
                .iter()
                .map(|name| *same.get(name).unwrap_or(name))
                .collect();
            let layout_of = |name: &str| {
                shape.get(name).copied().ok_or_else(|| {
                    node.unsupported(&format!("reads {name}, made by no node before"))
                })
            };
            let nchw = |i: usize| -> Result<usize, DetectError> {
                let name = read
                    .get(i)
                    .ok_or_else(|| node.unsupported("a missing input"))?;
                match layout_of(name)? {
                    (Layout::Nchw, c) => Ok(c),
                    _ => Err(node.unsupported("an input not in NCHW")),
                }
            };
            let (kind, c) = match node.op.as_str() {
                "Conv" => {
                    let conv = compile_conv(graph, node, nchw(0)?)?;
                    let c = conv.cout;
                    let kind = OpKind::Conv {
                        conv,
                        residual: false,
                        relu: false,
                    };
                    (kind, c)
                }
                "Add" => {
                    let c = nchw(0)?;
                    if nchw(1)? != c {
                        return Err(node.unsupported("adds tensors of different channels"));
                    }
                    (OpKind::Add { relu: false }, c)
                }
                "Relu" => (OpKind::Relu, nchw(0)?),
                "MaxPool" => {
                    let kernel = node.ints("kernel_shape", &[])?;
                    let strides = node.ints("strides", &[1, 1])?;
                    let pads = node.ints("pads", &[0, 0, 0, 0])?;
                    if kernel != [2, 2] || strides != [2, 2] || pads.iter().any(|&p| p != 0) {
                        return Err(node.unsupported("a pool other than 2×2, stride 2"));
                    }
                    (OpKind::MaxPool2, nchw(0)?)
                }
                "Pad" => {
                    let c = nchw(0)?;
                    let pads = ints_weight(graph, node, 1)?;
                    let constant_mode = match node.attributes.get("mode") {
                        None => true,
                        Some(mode) => *mode == Attribute::Bytes(b"constant".to_vec()),
                    };
                    if !constant_mode
                        || node.inputs.get(2).is_some_and(|n| !n.is_empty())
                        || pads.len() != 8
                        || pads.iter().enumerate().any(|(i, &p)| i != 5 && p != 0)
                        || pads[5] < 0
                    {
                        return Err(node.unsupported("a pad other than zero channels after"));
                    }
                    let c = c + pads[5] as usize;
                    (OpKind::PadChannels { c }, c)
                }
                "Transpose" | "Reshape" => {
                    let name = read.first().ok_or_else(|| node.unsupported("no input"))?;
                    let (layout, c) = layout_of(name)?;
                    let data = inputs[0];
                    let layout = if node.op == "Transpose" {
                        match (layout, node.ints("perm", &[])?.as_slice()) {
                            (Layout::Nhwc, [0, 3, 1, 2]) => Layout::Nchw,
                            (Layout::Nchw, [0, 2, 3, 1]) => Layout::Nhwc,
                            _ => return Err(node.unsupported("a transpose other than NHWC↔NCHW")),
                        }
                    } else {
                        match (layout, ints_weight(graph, node, 1)?.as_slice()) {
                            (Layout::Nhwc, &[1, -1, k]) if k > 0 && c % k as usize == 0 => {
                                Layout::Rows(k as usize)
                            }
                            _ => return Err(node.unsupported("a reshape other than NHWC to rows")),
                        }
                    };
                    same.insert(output, data);
                    shape.insert(output, (layout, c));
                    continue;
                }
                _ => return Err(node.unsupported("an operator not supported")),
            };
            shape.insert(output, (Layout::Nchw, c));
            steps.push(Step {
                node,
                kind,
                inputs,
                output,
            });
        }
        let outputs: Vec<(&str, usize)> = graph
            .outputs
            .iter()
            .map(|name| {
                let data = *same.get(name.as_str()).unwrap_or(&name.as_str());
                match shape.get(name.as_str()) {
                    Some(&(Layout::Rows(k), _)) => Ok((data, k)),
                    _ => Err(DetectError::Unsupported(format!(
                        "output {name} is not rows of an NHWC map"
                    ))),
                }
            })
            .collect::<Result<_, _>>()?;
        let steps = fuse(steps, &outputs);
        // Slots: the input first, then each op's output.
        let mut slot_of: HashMap<&str, usize> = HashMap::new();
        slot_of.insert(input_name, INPUT_SLOT);
        let mut ops = Vec::new();
        for step in steps {
            let inputs = step
                .inputs
                .iter()
                .map(|name| {
                    slot_of
                        .get(name)
                        .copied()
                        .ok_or_else(|| step.node.unsupported("an input made later"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let output = slot_of.len();
            slot_of.insert(step.output, output);
            ops.push(Op {
                kind: step.kind,
                inputs,
                output,
            });
        }
        let outputs = outputs
            .iter()
            .map(|&(name, k)| {
                slot_of.get(name).map(|&slot| (slot, k)).ok_or_else(|| {
                    DetectError::Unsupported(format!("output {name} is made by no node"))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            ops,
            input_channels,
            outputs,
            slots: slot_of.len(),
            arch: Arch::new(),
            scratch: HashMap::new(),
        })
    }

    /// The input tensor for an `h`×`w` image, to be filled (every pixel) before
    /// [`Network::run`]. `h` and `w` must be positive multiples of 16.
    pub fn input(&mut self, h: usize, w: usize) -> &mut Tensor {
        let c = self.input_channels;
        let slots = self.slots;
        let values = self
            .scratch
            .entry((h, w))
            .or_insert_with(|| vec![None; slots]);
        values[INPUT_SLOT].get_or_insert_with(|| Tensor::zeros(h, w, c, c))
    }

    /// Runs the network on the input of an `h`×`w` image, filled through
    /// [`Network::input`]; returns its outputs in the graph's order.
    pub fn run(&mut self, h: usize, w: usize) -> Vec<Output> {
        self.input(h, w);
        let values = self.scratch.get_mut(&(h, w)).expect("made by input()");
        let arch = self.arch;
        for op in &self.ops {
            arch.dispatch(Run { op, values });
        }
        self.outputs
            .iter()
            .map(|&(slot, k)| {
                let t = values[slot].as_ref().expect("every output is computed");
                let mut data = Vec::with_capacity(t.h * t.w * t.c);
                for y in 0..t.h {
                    for x in 0..t.w {
                        let at = t.at(y as isize, x as isize);
                        data.extend_from_slice(&t.data[at..at + t.c]);
                    }
                }
                Output {
                    grid: (t.h, t.w),
                    k,
                    data,
                }
            })
            .collect()
    }
}

/// Folds into each 1×1 convolution the residual add that is the only reader of its
/// result, and into each convolution or add the ReLU that is the only reader of its
/// result; a channel pad read only as such a residual is not done at all (the fused
/// add reads the narrower tensor).
fn fuse<'g>(steps: Vec<Step<'g>>, outputs: &[(&'g str, usize)]) -> Vec<Step<'g>> {
    let readers = |steps: &[Option<Step<'g>>], name: &str| {
        steps
            .iter()
            .flatten()
            .map(|s| s.inputs.iter().filter(|&&i| i == name).count())
            .sum::<usize>()
            + outputs.iter().filter(|(o, _)| *o == name).count()
    };
    let mut steps: Vec<Option<Step<'g>>> = steps.into_iter().map(Some).collect();
    let renamed = |steps: &mut [Option<Step<'g>>], from: &str, to: &'g str| {
        for step in steps.iter_mut().flatten() {
            for input in &mut step.inputs {
                if *input == from {
                    *input = to;
                }
            }
        }
    };
    let producer = |steps: &[Option<Step<'g>>], name: &str| {
        steps
            .iter()
            .position(|s| s.as_ref().is_some_and(|s| s.output == name))
    };
    // Residual adds into 1×1 convolutions.
    for i in 0..steps.len() {
        let Some(Step {
            kind: OpKind::Add { .. },
            inputs,
            output,
            ..
        }) = &steps[i]
        else {
            continue;
        };
        let (inputs, add_output) = (inputs.clone(), *output);
        for (conv_in, other) in [(0, 1), (1, 0)] {
            let Some(c) = producer(&steps, inputs[conv_in]) else {
                continue;
            };
            let is_pointwise = matches!(
                &steps[c],
                Some(Step { kind: OpKind::Conv { conv, residual: false, relu: false }, .. })
                    if conv.kernel == Kernel::Pointwise
            );
            // The residual must be ready before the convolution runs.
            let ready = producer(&steps, inputs[other]).is_none_or(|p| p < c);
            if !is_pointwise || !ready || readers(&steps, inputs[conv_in]) != 1 {
                continue;
            }
            let Some(Step {
                kind: OpKind::Conv { residual, .. },
                inputs: conv_inputs,
                output,
                ..
            }) = &mut steps[c]
            else {
                unreachable!("checked above")
            };
            *residual = true;
            conv_inputs.push(inputs[other]);
            *output = add_output;
            steps[i] = None;
            break;
        }
    }
    // A channel pad read only as a fused residual: the residual is the unpadded tensor.
    for i in 0..steps.len() {
        let Some(Step {
            kind: OpKind::PadChannels { .. },
            inputs,
            output,
            ..
        }) = &steps[i]
        else {
            continue;
        };
        let (source, padded) = (inputs[0], *output);
        let only_residual = steps.iter().flatten().all(|s| {
            !s.inputs.contains(&padded)
                || (matches!(s.kind, OpKind::Conv { residual: true, .. })
                    && s.inputs[1] == padded
                    && s.inputs[0] != padded)
        }) && !outputs.iter().any(|(o, _)| *o == padded);
        if only_residual {
            steps[i] = None;
            renamed(&mut steps, padded, source);
        }
    }
    // ReLUs into what they read.
    for i in 0..steps.len() {
        let Some(Step {
            kind: OpKind::Relu,
            inputs,
            output,
            ..
        }) = &steps[i]
        else {
            continue;
        };
        let (source, relu_output) = (inputs[0], *output);
        let Some(p) = producer(&steps, source) else {
            continue;
        };
        if readers(&steps, source) != 1 {
            continue;
        }
        let Some(step) = &mut steps[p] else { continue };
        match &mut step.kind {
            OpKind::Conv { relu, .. } | OpKind::Add { relu } if !*relu => {
                *relu = true;
                step.output = relu_output;
                steps[i] = None;
            }
            _ => {}
        }
    }
    steps.into_iter().flatten().collect()
}

fn ints_weight(graph: &Graph, node: &Node, index: usize) -> Result<Vec<i64>, DetectError> {
    let name = node
        .inputs
        .get(index)
        .ok_or_else(|| node.unsupported("a missing input"))?;
    match graph.weights.get(name).map(|w| &w.data) {
        Some(WeightData::I64(v)) => Ok(v.clone()),
        _ => Err(node.unsupported("a shape or padding that is not a constant")),
    }
}

/// A float constant's shape and values.
type Floats<'g> = (&'g [usize], &'g [f32]);

fn float_weight<'g>(
    graph: &'g Graph,
    node: &Node,
    index: usize,
) -> Result<Option<Floats<'g>>, DetectError> {
    let Some(name) = node.inputs.get(index).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    match graph.weights.get(name) {
        Some(w) => match &w.data {
            WeightData::F32(v) => Ok(Some((&w.dims, v))),
            WeightData::I64(_) => Err(node.unsupported("integer weights")),
        },
        None => Err(node.unsupported("weights that are not constants")),
    }
}

fn compile_conv(graph: &Graph, node: &Node, cin: usize) -> Result<Conv, DetectError> {
    let (dims, w) = float_weight(graph, node, 1)?.ok_or_else(|| node.unsupported("no weights"))?;
    let &[cout, cin_per_group, kh, kw] = dims else {
        return Err(node.unsupported("weights that are not 4-D"));
    };
    let group = node.int("group", 1)? as usize;
    let strides = node.ints("strides", &[1, 1])?;
    let dilations = node.ints("dilations", &[1, 1])?;
    let pads = node.ints("pads", &[0, 0, 0, 0])?;
    if node.attributes.contains_key("auto_pad") {
        return Err(node.unsupported("auto_pad"));
    }
    if dilations != [1, 1]
        || strides.len() != 2
        || strides[0] != strides[1]
        || !(1..=2).contains(&strides[0])
    {
        return Err(node.unsupported("dilation, or a stride other than 1 or 2"));
    }
    if pads.len() != 4 || pads.iter().any(|&p| !(0..=BORDER as i64).contains(&p)) {
        return Err(node.unsupported("padding past the border kept"));
    }
    let cs = align(cout);
    let mut bias = vec![0.0; cs];
    match float_weight(graph, node, 2)? {
        Some((_, b)) if b.len() == cout => bias[..cout].copy_from_slice(b),
        Some(_) => return Err(node.unsupported("a bias of the wrong length")),
        None => {}
    }
    let kernel = if group == 1 && cin_per_group == cin && (kh, kw) == (1, 1) && strides[0] == 1 {
        Kernel::Pointwise
    } else if group == cin && cout == cin && cin_per_group == 1 && (kh, kw) == (3, 3) {
        Kernel::Depthwise
    } else if group == 1 && cin_per_group == cin {
        Kernel::Full { kh, kw }
    } else {
        return Err(node.unsupported("a grouped convolution other than depthwise 3×3"));
    };
    // Reorder the weights (ONNX: [co][ci][ky][kx]) so output channels are innermost.
    let weights = match kernel {
        Kernel::Pointwise => {
            let mut out = vec![0.0; cin * cs];
            for co in 0..cout {
                for ci in 0..cin {
                    out[ci * cs + co] = w[co * cin + ci];
                }
            }
            out
        }
        Kernel::Depthwise => {
            let mut out = vec![0.0; 9 * cs];
            for c in 0..cout {
                for tap in 0..9 {
                    out[tap * cs + c] = w[c * 9 + tap];
                }
            }
            out
        }
        Kernel::Full { kh, kw } => {
            let mut out = vec![0.0; kh * kw * cin * cs];
            for co in 0..cout {
                for ci in 0..cin {
                    for ky in 0..kh {
                        for kx in 0..kw {
                            out[((ky * kw + kx) * cin + ci) * cs + co] =
                                w[((co * cin + ci) * kh + ky) * kw + kx];
                        }
                    }
                }
            }
            out
        }
    };
    Ok(Conv {
        kernel,
        stride: strides[0] as usize,
        pad: (pads[0] as usize, pads[1] as usize),
        pads_total: ((pads[0] + pads[2]) as usize, (pads[1] + pads[3]) as usize),
        cout,
        weights,
        bias,
    })
}

/// One op, run with the vector instructions `Arch` picked.
struct Run<'a> {
    op: &'a Op,
    values: &'a mut [Option<Tensor>],
}

impl WithSimd for Run<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let Run { op, values } = self;
        // The output is taken out while the inputs are borrowed (no op writes in place).
        let (h, w, c) = {
            let src = values[op.inputs[0]].as_ref().expect("computed before");
            match &op.kind {
                OpKind::Conv { conv, .. } => {
                    let (kh, kw) = match conv.kernel {
                        Kernel::Pointwise => (1, 1),
                        Kernel::Depthwise => (3, 3),
                        Kernel::Full { kh, kw } => (kh, kw),
                    };
                    (
                        (src.h + conv.pads_total.0 - kh) / conv.stride + 1,
                        (src.w + conv.pads_total.1 - kw) / conv.stride + 1,
                        conv.cout,
                    )
                }
                OpKind::MaxPool2 => (src.h / 2, src.w / 2, src.c),
                OpKind::PadChannels { c } => (src.h, src.w, *c),
                OpKind::Add { .. } | OpKind::Relu => (src.h, src.w, src.c),
            }
        };
        let cs = align(c);
        let mut dst = match values[op.output].take() {
            Some(t) if (t.h, t.w, t.c, t.cs) == (h, w, c, cs) => t,
            _ => Tensor::zeros(h, w, c, cs),
        };
        let input = |i: usize| values[op.inputs[i]].as_ref().expect("computed before");
        let src = input(0);
        match &op.kind {
            OpKind::Conv {
                conv,
                residual,
                relu,
            } => match conv.kernel {
                Kernel::Pointwise => {
                    let residual = residual.then(|| input(1));
                    pointwise(simd, src, residual, &mut dst, conv, *relu);
                }
                Kernel::Depthwise => depthwise(simd, src, &mut dst, conv, *relu),
                Kernel::Full { .. } => full(simd, src, &mut dst, conv, *relu),
            },
            OpKind::Add { relu } => add(simd, src, input(1), &mut dst, *relu),
            OpKind::Relu => relu(simd, src, &mut dst),
            OpKind::MaxPool2 => max_pool(simd, src, &mut dst),
            OpKind::PadChannels { .. } => {
                for y in 0..src.h as isize {
                    for x in 0..src.w as isize {
                        let (s, d) = (src.at(y, x), dst.at(y, x));
                        dst.data[d..d + src.c].copy_from_slice(&src.data[s..s + src.c]);
                    }
                }
            }
        }
        values[op.output] = Some(dst);
    }
}

/// A tensor's data as whole vectors (its channel stride is a multiple of any lane count
/// used, so every pixel starts a vector).
#[inline(always)]
fn vectors<S: Simd>(t: &Tensor) -> &[S::f32s] {
    debug_assert_eq!(t.cs % S::F32_LANES, 0);
    S::as_simd_f32s(&t.data).0
}

#[inline(always)]
fn vectors_mut<S: Simd>(t: &mut Tensor) -> &mut [S::f32s] {
    debug_assert_eq!(t.cs % S::F32_LANES, 0);
    S::as_mut_simd_f32s(&mut t.data).0
}

/// 1×1 convolution, plus the residual and the ReLU when fused:
/// for each pixel, `out = relu?(bias + in · W + residual)`.
#[inline(always)]
fn pointwise<S: Simd>(
    simd: S,
    src: &Tensor,
    residual: Option<&Tensor>,
    dst: &mut Tensor,
    conv: &Conv,
    relu: bool,
) {
    let lanes = S::F32_LANES;
    let nv = dst.cs / lanes;
    let mut row = PointwiseRow::<S> {
        simd,
        src: &[],
        stride: src.cs,
        cin: src.c,
        weights: S::as_simd_f32s(&conv.weights).0,
        bias: S::as_simd_f32s(&conv.bias).0,
        residual: residual.map_or(&[][..], vectors::<S>),
        residual_at: 0,
        residual_nv: residual.map_or(0, |r| r.cs / lanes),
        nv,
        relu,
    };
    let width = dst.w;
    for y in 0..dst.h as isize {
        row.src = &src.data[src.at(y, 0)..][..width * src.cs];
        row.residual_at = residual.map_or(0, |r| r.at(y, 0) / lanes);
        let start = dst.at(y, 0) / lanes;
        let out = &mut vectors_mut::<S>(dst)[start..][..width * nv];
        let mut x = 0;
        while x < width {
            let pixels = (width - x).min(2);
            let mut j = 0;
            while j < nv {
                let block = (nv - j).min(4);
                match (pixels, block) {
                    (2, 4) => row.block::<2, 4>(x, j, out),
                    (2, 3) => row.block::<2, 3>(x, j, out),
                    (2, 2) => row.block::<2, 2>(x, j, out),
                    (2, _) => row.block::<2, 1>(x, j, out),
                    (_, 4) => row.block::<1, 4>(x, j, out),
                    (_, 3) => row.block::<1, 3>(x, j, out),
                    (_, 2) => row.block::<1, 2>(x, j, out),
                    (_, _) => row.block::<1, 1>(x, j, out),
                }
                j += block;
            }
            x += pixels;
        }
    }
}

/// What a 1×1 convolution reads for one row of pixels.
struct PointwiseRow<'a, S: Simd> {
    simd: S,
    /// The input row: pixels of `cin` channels, `stride` apart.
    src: &'a [f32],
    stride: usize,
    cin: usize,
    /// `weights[ci * nv + j]`: input channel `ci`'s weights for output vector `j`.
    weights: &'a [S::f32s],
    bias: &'a [S::f32s],
    /// The residual tensor, the start of this row in it, and its vectors per pixel.
    residual: &'a [S::f32s],
    residual_at: usize,
    residual_nv: usize,
    /// Output vectors per pixel.
    nv: usize,
    relu: bool,
}

impl<S: Simd> PointwiseRow<'_, S> {
    /// `P` pixels (from `x`) × `B` output vectors (from `j`), kept in registers over
    /// all input channels.
    #[inline(always)]
    fn block<const P: usize, const B: usize>(&self, x: usize, j: usize, out: &mut [S::f32s]) {
        let simd = self.simd;
        let pixels: [&[f32]; P] =
            core::array::from_fn(|p| &self.src[(x + p) * self.stride..][..self.cin]);
        let mut acc = [[simd.splat_f32s(0.0); B]; P];
        for (p, acc) in acc.iter_mut().enumerate() {
            let res = self.residual_at + (x + p) * self.residual_nv;
            for (k, acc) in acc.iter_mut().enumerate() {
                *acc = self.bias[j + k];
                if j + k < self.residual_nv {
                    *acc = simd.add_f32s(*acc, self.residual[res + j + k]);
                }
            }
        }
        for (ci, row) in self
            .weights
            .chunks_exact(self.nv)
            .take(self.cin)
            .enumerate()
        {
            let w: &[S::f32s; B] = row[j..j + B].try_into().expect("B vectors");
            for (acc, pixel) in acc.iter_mut().zip(&pixels) {
                let v = simd.splat_f32s(pixel[ci]);
                for (acc, &w) in acc.iter_mut().zip(w) {
                    *acc = simd.mul_add_e_f32s(v, w, *acc);
                }
            }
        }
        let zero = simd.splat_f32s(0.0);
        for (p, acc) in acc.iter().enumerate() {
            let at = (x + p) * self.nv + j;
            for (out, &acc) in out[at..at + B].iter_mut().zip(acc) {
                *out = if self.relu {
                    simd.max_f32s(acc, zero)
                } else {
                    acc
                };
            }
        }
    }
}

/// 3×3 depthwise convolution (each channel its own filter).
#[inline(always)]
fn depthwise<S: Simd>(simd: S, src: &Tensor, dst: &mut Tensor, conv: &Conv, relu: bool) {
    let lanes = S::F32_LANES;
    let nv = dst.cs / lanes;
    let weights = S::as_simd_f32s(&conv.weights).0;
    let bias = S::as_simd_f32s(&conv.bias).0;
    let zero = simd.splat_f32s(0.0);
    let row = (src.w + 2 * BORDER) * nv;
    let step = conv.stride * nv;
    let width = dst.w;
    let input = vectors::<S>(src);
    for y in 0..dst.h as isize {
        let top = src.at(
            y * conv.stride as isize - conv.pad.0 as isize,
            -(conv.pad.1 as isize),
        ) / lanes;
        // The three input rows this output row reads, from its first pixel on.
        let span = (width - 1) * step + 3 * nv;
        let rows: [&[S::f32s]; 3] = core::array::from_fn(|ky| &input[top + ky * row..][..span]);
        let out_start = dst.at(y, 0) / lanes;
        let out = &mut vectors_mut::<S>(dst)[out_start..][..width * nv];
        for j in 0..nv {
            let w: [S::f32s; 9] = core::array::from_fn(|tap| weights[tap * nv + j]);
            for x in 0..width {
                let at = x * step + j;
                let mut acc = bias[j];
                for (ky, row) in rows.iter().enumerate() {
                    // One slice a row, so the three reads in it need no bounds checks.
                    let window = &row[at..at + 2 * nv + 1];
                    acc = simd.mul_add_e_f32s(window[0], w[ky * 3], acc);
                    acc = simd.mul_add_e_f32s(window[nv], w[ky * 3 + 1], acc);
                    acc = simd.mul_add_e_f32s(window[2 * nv], w[ky * 3 + 2], acc);
                }
                out[x * nv + j] = if relu { simd.max_f32s(acc, zero) } else { acc };
            }
        }
    }
}

/// A full convolution of any kernel size (the first layer's, over few channels): four
/// output pixels at a time share each weight load.
#[inline(always)]
fn full<S: Simd>(simd: S, src: &Tensor, dst: &mut Tensor, conv: &Conv, relu: bool) {
    let Kernel::Full { kh, kw } = conv.kernel else {
        unreachable!("a full convolution")
    };
    let lanes = S::F32_LANES;
    let nv = dst.cs / lanes;
    let mut row = FullRow::<S> {
        simd,
        src: &src.data,
        top: 0,
        row: (src.w + 2 * BORDER) * src.cs,
        // One kernel row's inputs are contiguous: kw pixels of all their channels.
        taps: kw * src.cs,
        kh,
        step: conv.stride * src.cs,
        weights: S::as_simd_f32s(&conv.weights).0,
        bias: S::as_simd_f32s(&conv.bias).0,
        nv,
        relu,
    };
    let width = dst.w;
    for y in 0..dst.h as isize {
        row.top = src.at(
            y * conv.stride as isize - conv.pad.0 as isize,
            -(conv.pad.1 as isize),
        );
        let start = dst.at(y, 0) / lanes;
        let out = &mut vectors_mut::<S>(dst)[start..][..width * nv];
        let mut x = 0;
        while x < width {
            let pixels = if width - x >= 4 { 4 } else { 1 };
            let mut j = 0;
            while j < nv {
                let block = (nv - j).min(4);
                match (pixels, block) {
                    (4, 4) => row.block::<4, 4>(x, j, out),
                    (4, 3) => row.block::<4, 3>(x, j, out),
                    (4, 2) => row.block::<4, 2>(x, j, out),
                    (4, _) => row.block::<4, 1>(x, j, out),
                    (_, 4) => row.block::<1, 4>(x, j, out),
                    (_, 3) => row.block::<1, 3>(x, j, out),
                    (_, 2) => row.block::<1, 2>(x, j, out),
                    (_, _) => row.block::<1, 1>(x, j, out),
                }
                j += block;
            }
            x += pixels;
        }
    }
}

/// What a full convolution reads for one row of output pixels.
struct FullRow<'a, S: Simd> {
    simd: S,
    /// The input tensor's data, and where the first output pixel's window starts.
    src: &'a [f32],
    top: usize,
    /// Input values per image row, per kernel row, and between output pixels.
    row: usize,
    taps: usize,
    kh: usize,
    step: usize,
    /// `weights[(ky * taps + t) * nv + j]`.
    weights: &'a [S::f32s],
    bias: &'a [S::f32s],
    nv: usize,
    relu: bool,
}

impl<S: Simd> FullRow<'_, S> {
    /// `P` output pixels (from `x`) × `B` output vectors (from `j`).
    #[inline(always)]
    fn block<const P: usize, const B: usize>(&self, x: usize, j: usize, out: &mut [S::f32s]) {
        let simd = self.simd;
        let mut acc = [[simd.splat_f32s(0.0); B]; P];
        for acc in &mut acc {
            acc.copy_from_slice(&self.bias[j..j + B]);
        }
        for ky in 0..self.kh {
            let start = self.top + ky * self.row + x * self.step;
            let span = &self.src[start..start + (P - 1) * self.step + self.taps];
            for t in 0..self.taps {
                let w: &[S::f32s; B] = self.weights[(ky * self.taps + t) * self.nv + j..][..B]
                    .try_into()
                    .expect("B vectors");
                for (p, acc) in acc.iter_mut().enumerate() {
                    let v = simd.splat_f32s(span[p * self.step + t]);
                    for (acc, &w) in acc.iter_mut().zip(w) {
                        *acc = simd.mul_add_e_f32s(v, w, *acc);
                    }
                }
            }
        }
        let zero = simd.splat_f32s(0.0);
        for (p, acc) in acc.iter().enumerate() {
            let at = (x + p) * self.nv + j;
            for (out, &acc) in out[at..at + B].iter_mut().zip(acc) {
                *out = if self.relu {
                    simd.max_f32s(acc, zero)
                } else {
                    acc
                };
            }
        }
    }
}

/// `dst = relu?(a + b)`, over the whole buffers (their borders and padding are zeros).
#[inline(always)]
fn add<S: Simd>(simd: S, a: &Tensor, b: &Tensor, dst: &mut Tensor, relu: bool) {
    let zero = simd.splat_f32s(0.0);
    let (a, b) = (vectors::<S>(a), vectors::<S>(b));
    for ((d, &x), &y) in vectors_mut::<S>(dst).iter_mut().zip(a).zip(b) {
        let s = simd.add_f32s(x, y);
        *d = if relu { simd.max_f32s(s, zero) } else { s };
    }
}

#[inline(always)]
fn relu<S: Simd>(simd: S, src: &Tensor, dst: &mut Tensor) {
    let zero = simd.splat_f32s(0.0);
    for (d, &s) in vectors_mut::<S>(dst).iter_mut().zip(vectors::<S>(src)) {
        *d = simd.max_f32s(s, zero);
    }
}

/// 2×2 max pooling, stride 2.
#[inline(always)]
fn max_pool<S: Simd>(simd: S, src: &Tensor, dst: &mut Tensor) {
    let lanes = S::F32_LANES;
    let nv = src.cs / lanes;
    let input = vectors::<S>(src);
    for y in 0..dst.h as isize {
        for x in 0..dst.w as isize {
            let o = dst.at(y, x) / lanes;
            let corners = [(0, 0), (0, 1), (1, 0), (1, 1)]
                .map(|(dy, dx)| src.at(2 * y + dy, 2 * x + dx) / lanes);
            let out = &mut vectors_mut::<S>(dst)[o..o + nv];
            for (j, out) in out.iter_mut().enumerate() {
                let v = corners.map(|c| input[c + j]);
                *out = simd.max_f32s(simd.max_f32s(v[0], v[1]), simd.max_f32s(v[2], v[3]));
            }
        }
    }
}
