//! Runs a small convolutional network read from ONNX: the ops BlazeFace is made of
//! (convolutions, depthwise ones among them, ReLU, residual adds, 2×2 max pooling,
//! channel padding), on one thread, with the CPU's vector instructions picked at run
//! time (AVX2 and FMA on x86-64, NEON on ARM64, plain code elsewhere).
//!
//! Tensors are kept pixel by pixel with their channels side by side (NHWC), each pixel's
//! channels padded with zeros to a multiple of 8 so they split into whole vectors, and
//! each image surrounded by a zero border, so that a convolution's padding is read
//! rather than tested for. The input may be any height and width that are multiples of
//! 16; the model's square is only what it was trained on.

use std::collections::HashMap;

use pulp::{Arch, Simd, WithSimd};

use super::DetectError;
use super::onnx::{Attribute, Graph, Node, WeightData};

/// Zero pixels around every image: enough for the largest padding a convolution asks.
const BORDER: usize = 2;
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

    /// Sets the `c` channels of pixel (`y`, `x`).
    pub fn set(&mut self, y: usize, x: usize, values: &[f32]) {
        let at = self.at(y as isize, x as isize);
        self.data[at..at + self.c].copy_from_slice(values);
    }

    fn same_shape(&self, h: usize, w: usize, c: usize, cs: usize) -> bool {
        (self.h, self.w, self.c, self.cs) == (h, w, c, cs)
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

#[derive(Debug)]
enum Kernel {
    /// 1×1, stride 1: `weights[ci][co]`.
    Pointwise,
    /// 3×3, one filter per channel: `weights[tap][c]`.
    Depthwise,
    /// Any size: `weights[ky][kx][ci][co]`.
    Full { kh: usize, kw: usize },
}

#[derive(Debug)]
enum Op {
    Conv {
        input: usize,
        output: usize,
        kernel: Kernel,
        stride: usize,
        /// Top and left padding (bottom and right follow from the output size).
        pad: (usize, usize),
        /// Output size for an input size, as ONNX computes it.
        pads_total: (usize, usize),
        cin: usize,
        cout: usize,
        weights: Vec<f32>,
        bias: Vec<f32>,
        relu: bool,
    },
    Add {
        a: usize,
        b: usize,
        output: usize,
        relu: bool,
    },
    Relu {
        input: usize,
        output: usize,
    },
    MaxPool2 {
        input: usize,
        output: usize,
    },
    /// Zero channels appended: `c` channels in all.
    PadChannels {
        input: usize,
        output: usize,
        c: usize,
    },
    /// The same data under another name (transposes and reshapes of the layout).
    Alias { input: usize },
}

/// A network, compiled once, run on inputs of any multiple-of-16 size.
#[derive(Debug)]
pub(super) struct Network {
    ops: Vec<Op>,
    input: usize,
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

impl Network {
    /// Compiles `graph`, whose one input is NHWC images.
    pub fn new(graph: &Graph) -> Result<Self, DetectError> {
        let [input_name] = graph.inputs.as_slice() else {
            return Err(DetectError::Unsupported(format!(
                "{} inputs, not one",
                graph.inputs.len()
            )));
        };
        let mut slots: HashMap<&str, (usize, Layout, usize)> = HashMap::new(); // slot, layout, channels
        slots.insert(input_name, (0, Layout::Nhwc, 3));
        let mut ops = Vec::new();
        let mut next = 1;
        // How many nodes read each value, to fuse a ReLU into the one op before it.
        let mut readers: HashMap<&str, usize> = HashMap::new();
        for node in &graph.nodes {
            for input in &node.inputs {
                *readers.entry(input.as_str()).or_default() += 1;
            }
        }
        for output in &graph.outputs {
            *readers.entry(output.as_str()).or_default() += 1;
        }
        let mut fused_relus: HashMap<&str, &str> = HashMap::new(); // relu output -> its input
        for (i, node) in graph.nodes.iter().enumerate() {
            let get = |name: &str| {
                slots
                    .get(name)
                    .copied()
                    .ok_or_else(|| node.unsupported(&format!("reads {name}, made by no node before")))
            };
            let [output_name] = node.outputs.as_slice() else {
                return Err(node.unsupported("not one output"));
            };
            if node.op == "Relu" {
                if let Some(&target) = fused_relus.get(output_name.as_str()) {
                    let (slot, layout, c) = get(target)?;
                    slots.insert(output_name, (slot, layout, c));
                    continue;
                }
            }
            // A ReLU that is the only reader of this op's output runs inside the op.
            let relu_next = graph.nodes.get(i + 1).filter(|n| {
                n.op == "Relu"
                    && n.inputs.first() == Some(output_name)
                    && readers.get(output_name.as_str()) == Some(&1)
            });
            let output = next;
            next += 1;
            let need_nchw = |name: &str| -> Result<(usize, usize), DetectError> {
                match get(name)? {
                    (slot, Layout::Nchw, c) => Ok((slot, c)),
                    _ => Err(node.unsupported("an input not in NCHW")),
                }
            };
            let (op, layout, c) = match node.op.as_str() {
                "Conv" => {
                    let (input, cin) = need_nchw(&node.inputs[0])?;
                    let (op, cout) = compile_conv(graph, node, input, output, cin)?;
                    (op, Layout::Nchw, cout)
                }
                "Add" => {
                    let (a, ca) = need_nchw(&node.inputs[0])?;
                    let (b, cb) = need_nchw(&node.inputs[1])?;
                    if ca != cb {
                        return Err(node.unsupported("adds tensors of different channels"));
                    }
                    let relu = relu_next.is_some();
                    (Op::Add { a, b, output, relu }, Layout::Nchw, ca)
                }
                "Relu" => {
                    let (input, c) = need_nchw(&node.inputs[0])?;
                    (Op::Relu { input, output }, Layout::Nchw, c)
                }
                "MaxPool" => {
                    let (input, c) = need_nchw(&node.inputs[0])?;
                    let kernel = node.ints("kernel_shape", &[])?;
                    let strides = node.ints("strides", &[1, 1])?;
                    let pads = node.ints("pads", &[0, 0, 0, 0])?;
                    if kernel != [2, 2] || strides != [2, 2] || pads.iter().any(|&p| p != 0) {
                        return Err(node.unsupported("a pool other than 2×2, stride 2"));
                    }
                    (Op::MaxPool2 { input, output }, Layout::Nchw, c)
                }
                "Pad" => {
                    let (input, c) = need_nchw(&node.inputs[0])?;
                    let pads = ints_weight(graph, node, 1)?;
                    let constant_mode = match node.attributes.get("mode") {
                        None => true,
                        Some(mode) => *mode == Attribute::Bytes(b"constant".to_vec()),
                    };
                    let fill = node.inputs.get(2).filter(|n| !n.is_empty());
                    if !constant_mode
                        || fill.is_some()
                        || pads.len() != 8
                        || pads.iter().enumerate().any(|(i, &p)| i != 5 && p != 0)
                        || pads[5] < 0
                    {
                        return Err(node.unsupported("a pad other than zero channels after"));
                    }
                    let c = c + pads[5] as usize;
                    (Op::PadChannels { input, output, c }, Layout::Nchw, c)
                }
                "Transpose" => {
                    let (input, layout, c) = get(&node.inputs[0])?;
                    let perm = node.ints("perm", &[])?;
                    let layout = match (layout, perm.as_slice()) {
                        (Layout::Nhwc, [0, 3, 1, 2]) => Layout::Nchw,
                        (Layout::Nchw, [0, 2, 3, 1]) => Layout::Nhwc,
                        _ => return Err(node.unsupported("a transpose other than NHWC↔NCHW")),
                    };
                    (Op::Alias { input }, layout, c)
                }
                "Reshape" => {
                    let (input, layout, c) = get(&node.inputs[0])?;
                    let shape = ints_weight(graph, node, 1)?;
                    match (layout, shape.as_slice()) {
                        (Layout::Nhwc, &[1, -1, k]) if k > 0 && c % k as usize == 0 => {
                            (Op::Alias { input }, Layout::Rows(k as usize), c)
                        }
                        _ => return Err(node.unsupported("a reshape other than NHWC to rows")),
                    }
                }
                _ => return Err(node.unsupported("an operator not supported")),
            };
            let (op, output_slot) = match op {
                Op::Alias { input } => (None, input),
                Op::Conv {
                    input,
                    output,
                    kernel,
                    stride,
                    pad,
                    pads_total,
                    cin,
                    cout,
                    weights,
                    bias,
                    ..
                } => (
                    Some(Op::Conv {
                        input,
                        output,
                        kernel,
                        stride,
                        pad,
                        pads_total,
                        cin,
                        cout,
                        weights,
                        bias,
                        relu: relu_next.is_some(),
                    }),
                    output,
                ),
                op => (Some(op), output),
            };
            if let Some(op) = op {
                ops.push(op);
            } else {
                next -= 1;
            }
            if let Some(relu) = relu_next {
                fused_relus.insert(relu.outputs[0].as_str(), output_name.as_str());
            }
            slots.insert(output_name, (output_slot, layout, c));
        }
        let outputs = graph
            .outputs
            .iter()
            .map(|name| match slots.get(name.as_str()) {
                Some(&(slot, Layout::Rows(k), _)) => Ok((slot, k)),
                _ => Err(DetectError::Unsupported(format!(
                    "output {name} is not rows of an NHWC map"
                ))),
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            ops,
            input: 0,
            input_channels: 3,
            outputs,
            slots: next,
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
        values[self.input].get_or_insert_with(|| Tensor::zeros(h, w, c, c))
    }

    /// Runs the network on the input of an `h`×`w` image, filled through
    /// [`Network::input`]; returns its outputs in the graph's order.
    pub fn run(&mut self, h: usize, w: usize) -> Vec<Output> {
        self.input(h, w);
        let values = self.scratch.get_mut(&(h, w)).expect("made by input()");
        let arch = self.arch;
        for op in &self.ops {
            arch.dispatch(Step { op, values });
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

fn float_weight<'g>(
    graph: &'g Graph,
    node: &Node,
    index: usize,
) -> Result<Option<(&'g [usize], &'g [f32])>, DetectError> {
    let Some(name) = node.inputs.get(index) else {
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

fn compile_conv(
    graph: &Graph,
    node: &Node,
    input: usize,
    output: usize,
    cin: usize,
) -> Result<(Op, usize), DetectError> {
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
    if dilations != [1, 1] || strides[0] != strides[1] || !(1..=2).contains(&strides[0]) {
        return Err(node.unsupported("dilation, or a stride other than 1 or 2"));
    }
    if pads.len() != 4 || pads.iter().any(|&p| !(0..=BORDER as i64).contains(&p)) {
        return Err(node.unsupported("padding past the border kept"));
    }
    let bias = match float_weight(graph, node, 2)? {
        Some((_, b)) if b.len() == cout => b.to_vec(),
        Some(_) => return Err(node.unsupported("a bias of the wrong length")),
        None => vec![0.0; cout],
    };
    let cs = align(cout);
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
    let mut bias_padded = vec![0.0; cs];
    bias_padded[..cout].copy_from_slice(&bias);
    let op = Op::Conv {
        input,
        output,
        kernel,
        stride: strides[0] as usize,
        pad: (pads[0] as usize, pads[1] as usize),
        pads_total: ((pads[0] + pads[2]) as usize, (pads[1] + pads[3]) as usize),
        cin,
        cout,
        weights,
        bias: bias_padded,
        relu: false,
    };
    Ok((op, cout))
}

/// One op, run with the vector instructions `Arch` picked.
struct Step<'a> {
    op: &'a Op,
    values: &'a mut [Option<Tensor>],
}

impl WithSimd for Step<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let values = self.values;
        match self.op {
            Op::Conv {
                input,
                output,
                kernel,
                stride,
                pad,
                pads_total,
                cin,
                cout,
                weights,
                bias,
                relu,
            } => {
                let (kh, kw) = match kernel {
                    Kernel::Pointwise => (1, 1),
                    Kernel::Depthwise => (3, 3),
                    Kernel::Full { kh, kw } => (*kh, *kw),
                };
                let src = values[*input].take().expect("computed before");
                let oh = (src.h + pads_total.0 - kh) / stride + 1;
                let ow = (src.w + pads_total.1 - kw) / stride + 1;
                let mut dst = output_tensor(values, *output, oh, ow, *cout);
                debug_assert_eq!(src.c, *cin);
                match kernel {
                    Kernel::Pointwise => pointwise(simd, &src, &mut dst, weights, bias, *relu),
                    Kernel::Depthwise => {
                        depthwise(simd, &src, &mut dst, weights, bias, *stride, *pad, *relu);
                    }
                    Kernel::Full { kh, kw } => {
                        full(simd, &src, &mut dst, weights, bias, (*kh, *kw), *stride, *pad, *relu);
                    }
                }
                values[*input] = Some(src);
                values[*output] = Some(dst);
            }
            Op::Add { a, b, output, relu } => {
                let (ta, tb) = (
                    values[*a].take().expect("computed before"),
                    values[*b].take().expect("computed before"),
                );
                let mut dst = output_tensor(values, *output, ta.h, ta.w, ta.c);
                add(simd, &ta, &tb, &mut dst, *relu);
                values[*a] = Some(ta);
                values[*b] = Some(tb);
                values[*output] = Some(dst);
            }
            Op::Relu { input, output } => {
                let src = values[*input].take().expect("computed before");
                let mut dst = output_tensor(values, *output, src.h, src.w, src.c);
                relu(simd, &src, &mut dst);
                values[*input] = Some(src);
                values[*output] = Some(dst);
            }
            Op::MaxPool2 { input, output } => {
                let src = values[*input].take().expect("computed before");
                let mut dst = output_tensor(values, *output, src.h / 2, src.w / 2, src.c);
                max_pool(simd, &src, &mut dst);
                values[*input] = Some(src);
                values[*output] = Some(dst);
            }
            Op::PadChannels { input, output, c } => {
                let src = values[*input].take().expect("computed before");
                let mut dst = output_tensor(values, *output, src.h, src.w, *c);
                for y in 0..src.h as isize {
                    for x in 0..src.w as isize {
                        let (s, d) = (src.at(y, x), dst.at(y, x));
                        dst.data[d..d + src.c].copy_from_slice(&src.data[s..s + src.c]);
                    }
                }
                values[*input] = Some(src);
                values[*output] = Some(dst);
            }
            Op::Alias { .. } => unreachable!("aliases are resolved when compiling"),
        }
    }
}

/// The tensor kept for `slot`, made anew if its shape changed.
fn output_tensor(
    values: &mut [Option<Tensor>],
    slot: usize,
    h: usize,
    w: usize,
    c: usize,
) -> Tensor {
    let cs = align(c);
    match values[slot].take() {
        Some(t) if t.same_shape(h, w, c, cs) => t,
        _ => Tensor::zeros(h, w, c, cs),
    }
}

/// 1×1 convolution: for each pixel, `out = bias + in · W`.
#[inline(always)]
fn pointwise<S: Simd>(
    simd: S,
    src: &Tensor,
    dst: &mut Tensor,
    weights: &[f32],
    bias: &[f32],
    relu: bool,
) {
    let (cin, cs) = (src.c, dst.cs);
    let lanes = S::F32_LANES;
    let (bias_v, _) = S::as_simd_f32s(bias);
    let (w_v, _) = S::as_simd_f32s(weights);
    let nv = cs / lanes;
    let zero = simd.splat_f32s(0.0);
    for y in 0..dst.h as isize {
        let row_src = src.at(y, 0);
        let row_dst = dst.at(y, 0);
        let width = dst.w;
        let mut x = 0;
        // Two pixels at a time share each weight load.
        while x + 2 <= width {
            let (i0, i1) = (row_src + x * src.cs, row_src + (x + 1) * src.cs);
            let (in0, in1) = (&src.data[i0..i0 + cin], &src.data[i1..i1 + cin]);
            let mut j = 0;
            while j < nv {
                let block = (nv - j).min(4);
                let mut acc0 = [zero; 4];
                let mut acc1 = [zero; 4];
                acc0[..block].copy_from_slice(&bias_v[j..j + block]);
                acc1[..block].copy_from_slice(&bias_v[j..j + block]);
                if block == 4 {
                    for ci in 0..cin {
                        let (a, b) = (simd.splat_f32s(in0[ci]), simd.splat_f32s(in1[ci]));
                        let w = &w_v[ci * nv + j..ci * nv + j + 4];
                        for k in 0..4 {
                            acc0[k] = simd.mul_add_e_f32s(a, w[k], acc0[k]);
                            acc1[k] = simd.mul_add_e_f32s(b, w[k], acc1[k]);
                        }
                    }
                } else {
                    for ci in 0..cin {
                        let (a, b) = (simd.splat_f32s(in0[ci]), simd.splat_f32s(in1[ci]));
                        let w = &w_v[ci * nv + j..ci * nv + j + block];
                        for k in 0..block {
                            acc0[k] = simd.mul_add_e_f32s(a, w[k], acc0[k]);
                            acc1[k] = simd.mul_add_e_f32s(b, w[k], acc1[k]);
                        }
                    }
                }
                for (p, acc) in [(x, acc0), (x + 1, acc1)] {
                    let o = row_dst + p * cs + j * lanes;
                    let (out, _) = S::as_mut_simd_f32s(&mut dst.data[o..o + block * lanes]);
                    for k in 0..block {
                        out[k] = if relu { simd.max_f32s(acc[k], zero) } else { acc[k] };
                    }
                }
                j += block;
            }
            x += 2;
        }
        if x < width {
            let i0 = row_src + x * src.cs;
            let in0 = &src.data[i0..i0 + cin];
            let o = row_dst + x * cs;
            let (out, _) = S::as_mut_simd_f32s(&mut dst.data[o..o + cs]);
            for (j, out) in out.iter_mut().enumerate() {
                let mut acc = bias_v[j];
                for (ci, &v) in in0.iter().enumerate() {
                    acc = simd.mul_add_e_f32s(simd.splat_f32s(v), w_v[ci * nv + j], acc);
                }
                *out = if relu { simd.max_f32s(acc, zero) } else { acc };
            }
        }
    }
}

/// 3×3 depthwise convolution (each channel its own filter).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn depthwise<S: Simd>(
    simd: S,
    src: &Tensor,
    dst: &mut Tensor,
    weights: &[f32],
    bias: &[f32],
    stride: usize,
    pad: (usize, usize),
    relu: bool,
) {
    let cs = dst.cs;
    let lanes = S::F32_LANES;
    let nv = cs / lanes;
    let (w_v, _) = S::as_simd_f32s(weights);
    let (bias_v, _) = S::as_simd_f32s(bias);
    let zero = simd.splat_f32s(0.0);
    let row = (src.w + 2 * BORDER) * cs;
    let step = stride * cs;
    for y in 0..dst.h as isize {
        let top = src.at(y * stride as isize - pad.0 as isize, -(pad.1 as isize));
        let out_row = dst.at(y, 0);
        for j in 0..nv {
            let w: [S::f32s; 9] = core::array::from_fn(|tap| w_v[tap * nv + j]);
            let lane = j * lanes;
            for x in 0..dst.w {
                let base = top + x * step + lane;
                let mut acc = bias_v[j];
                for ky in 0..3 {
                    for kx in 0..3 {
                        let at = base + ky * row + kx * cs;
                        let (v, _) = S::as_simd_f32s(&src.data[at..at + lanes]);
                        acc = simd.mul_add_e_f32s(v[0], w[ky * 3 + kx], acc);
                    }
                }
                let o = out_row + x * cs + lane;
                let (out, _) = S::as_mut_simd_f32s(&mut dst.data[o..o + lanes]);
                out[0] = if relu { simd.max_f32s(acc, zero) } else { acc };
            }
        }
    }
}

/// A full convolution of any kernel size (the first layer's, over few channels).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn full<S: Simd>(
    simd: S,
    src: &Tensor,
    dst: &mut Tensor,
    weights: &[f32],
    bias: &[f32],
    (kh, kw): (usize, usize),
    stride: usize,
    pad: (usize, usize),
    relu: bool,
) {
    let (cin, cs) = (src.c, dst.cs);
    let lanes = S::F32_LANES;
    let nv = cs / lanes;
    let (w_v, _) = S::as_simd_f32s(weights);
    let (bias_v, _) = S::as_simd_f32s(bias);
    let zero = simd.splat_f32s(0.0);
    let row = (src.w + 2 * BORDER) * src.cs;
    for y in 0..dst.h as isize {
        let top = src.at(y * stride as isize - pad.0 as isize, -(pad.1 as isize));
        let out_row = dst.at(y, 0);
        for x in 0..dst.w {
            let base = top + x * stride * src.cs;
            let mut j = 0;
            while j < nv {
                let block = (nv - j).min(4);
                let mut acc = [zero; 4];
                acc[..block].copy_from_slice(&bias_v[j..j + block]);
                for ky in 0..kh {
                    for kx in 0..kw {
                        let at = base + ky * row + kx * src.cs;
                        for ci in 0..cin {
                            let v = simd.splat_f32s(src.data[at + ci]);
                            let wi = ((ky * kw + kx) * cin + ci) * nv + j;
                            for k in 0..block {
                                acc[k] = simd.mul_add_e_f32s(v, w_v[wi + k], acc[k]);
                            }
                        }
                    }
                }
                let o = out_row + x * cs + j * lanes;
                let (out, _) = S::as_mut_simd_f32s(&mut dst.data[o..o + block * lanes]);
                for k in 0..block {
                    out[k] = if relu { simd.max_f32s(acc[k], zero) } else { acc[k] };
                }
                j += block;
            }
        }
    }
}

/// `dst = a + b`, over the whole buffers (their borders and padding are zeros).
#[inline(always)]
fn add<S: Simd>(simd: S, a: &Tensor, b: &Tensor, dst: &mut Tensor, relu: bool) {
    let zero = simd.splat_f32s(0.0);
    let (av, _) = S::as_simd_f32s(&a.data);
    let (bv, _) = S::as_simd_f32s(&b.data);
    let (dv, _) = S::as_mut_simd_f32s(&mut dst.data);
    for ((d, &x), &y) in dv.iter_mut().zip(av).zip(bv) {
        let s = simd.add_f32s(x, y);
        *d = if relu { simd.max_f32s(s, zero) } else { s };
    }
}

#[inline(always)]
fn relu<S: Simd>(simd: S, src: &Tensor, dst: &mut Tensor) {
    let zero = simd.splat_f32s(0.0);
    let (sv, _) = S::as_simd_f32s(&src.data);
    let (dv, _) = S::as_mut_simd_f32s(&mut dst.data);
    for (d, &s) in dv.iter_mut().zip(sv) {
        *d = simd.max_f32s(s, zero);
    }
}

/// 2×2 max pooling, stride 2.
#[inline(always)]
fn max_pool<S: Simd>(simd: S, src: &Tensor, dst: &mut Tensor) {
    let cs = src.cs;
    for y in 0..dst.h as isize {
        for x in 0..dst.w as isize {
            let o = dst.at(y, x);
            let corners = [
                src.at(2 * y, 2 * x),
                src.at(2 * y, 2 * x + 1),
                src.at(2 * y + 1, 2 * x),
                src.at(2 * y + 1, 2 * x + 1),
            ];
            let (out, _) = S::as_mut_simd_f32s(&mut dst.data[o..o + cs]);
            for (j, out) in out.iter_mut().enumerate() {
                let lane = j * S::F32_LANES;
                let v = corners.map(|c| S::as_simd_f32s(&src.data[c + lane..c + lane + S::F32_LANES]).0[0]);
                *out = simd.max_f32s(simd.max_f32s(v[0], v[1]), simd.max_f32s(v[2], v[3]));
            }
        }
    }
}
