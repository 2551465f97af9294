//! Reads the parts of an ONNX file a small convolutional network needs: its nodes, their
//! attributes, its float and integer weights, and its input and output names.
//!
//! ONNX is protocol buffers; only the wire format is decoded here (varints and
//! length-delimited fields), by field number as `onnx.proto` defines them.

use std::collections::HashMap;

use super::DetectError;

/// A network's graph.
#[derive(Debug, Default)]
pub(super) struct Graph {
    pub nodes: Vec<Node>,
    pub weights: HashMap<String, Weight>,
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
}

/// One operation.
#[derive(Debug, Default)]
pub(super) struct Node {
    pub op: String,
    pub name: String,
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
    pub attributes: HashMap<String, Attribute>,
}

/// An attribute's value (only the kinds these networks use).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Attribute {
    Int(i64),
    Ints(Vec<i64>),
    Float(f32),
    Bytes(Vec<u8>),
}

/// A constant tensor.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Weight {
    pub dims: Vec<usize>,
    pub data: WeightData,
}

/// A constant tensor's values.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum WeightData {
    F32(Vec<f32>),
    I64(Vec<i64>),
}

impl Node {
    /// An integer-list attribute, or `default` when absent.
    pub fn ints(&self, name: &str, default: &[i64]) -> Result<Vec<i64>, DetectError> {
        match self.attributes.get(name) {
            None => Ok(default.to_vec()),
            Some(Attribute::Ints(v)) => Ok(v.clone()),
            Some(_) => Err(self.unsupported(&format!("attribute {name} is not a list"))),
        }
    }

    /// An integer attribute, or `default` when absent.
    pub fn int(&self, name: &str, default: i64) -> Result<i64, DetectError> {
        match self.attributes.get(name) {
            None => Ok(default),
            Some(Attribute::Int(v)) => Ok(*v),
            Some(_) => Err(self.unsupported(&format!("attribute {name} is not an integer"))),
        }
    }

    /// The error for what this node asks and the network runner does not do.
    pub fn unsupported(&self, what: &str) -> DetectError {
        DetectError::Unsupported(format!("{} {}: {what}", self.op, self.name))
    }
}

/// Parses a serialised `ModelProto`.
pub(super) fn parse(bytes: &[u8]) -> Result<Graph, DetectError> {
    let mut graph = None;
    for field in Fields::new(bytes) {
        if let (7, Value::Bytes(b)) = field? {
            graph = Some(parse_graph(b)?);
        }
    }
    graph.ok_or_else(|| malformed("no graph"))
}

fn parse_graph(bytes: &[u8]) -> Result<Graph, DetectError> {
    let mut graph = Graph::default();
    for field in Fields::new(bytes) {
        match field? {
            (1, Value::Bytes(b)) => graph.nodes.push(parse_node(b)?),
            (5, Value::Bytes(b)) => {
                let (name, weight) = parse_tensor(b)?;
                graph.weights.insert(name, weight);
            }
            (11, Value::Bytes(b)) => graph.inputs.push(value_info_name(b)?),
            (12, Value::Bytes(b)) => graph.outputs.push(value_info_name(b)?),
            _ => {}
        }
    }
    // Initialisers may also be listed as inputs (older exports); they are not fed.
    graph
        .inputs
        .retain(|name| !graph.weights.contains_key(name));
    Ok(graph)
}

fn parse_node(bytes: &[u8]) -> Result<Node, DetectError> {
    let mut node = Node::default();
    for field in Fields::new(bytes) {
        match field? {
            (1, Value::Bytes(b)) => node.inputs.push(string(b)?),
            (2, Value::Bytes(b)) => node.outputs.push(string(b)?),
            (3, Value::Bytes(b)) => node.name = string(b)?,
            (4, Value::Bytes(b)) => node.op = string(b)?,
            (5, Value::Bytes(b)) => {
                let (name, value) = parse_attribute(b)?;
                if let Some(value) = value {
                    node.attributes.insert(name, value);
                }
            }
            _ => {}
        }
    }
    Ok(node)
}

fn parse_attribute(bytes: &[u8]) -> Result<(String, Option<Attribute>), DetectError> {
    let (mut name, mut value, mut ints) = (String::new(), None, Vec::new());
    for field in Fields::new(bytes) {
        match field? {
            (1, Value::Bytes(b)) => name = string(b)?,
            (2, Value::Fixed32(f)) => value = Some(Attribute::Float(f32::from_bits(f))),
            (3, Value::Varint(i)) => value = Some(Attribute::Int(i as i64)),
            (4, Value::Bytes(b)) => value = Some(Attribute::Bytes(b.to_vec())),
            (8, Value::Varint(i)) => ints.push(i as i64),
            (8, Value::Bytes(b)) => ints.extend(packed_varints(b)?),
            _ => {}
        }
    }
    if value.is_none() && !ints.is_empty() {
        value = Some(Attribute::Ints(ints));
    }
    Ok((name, value))
}

fn parse_tensor(bytes: &[u8]) -> Result<(String, Weight), DetectError> {
    const FLOAT: u64 = 1;
    const INT64: u64 = 7;
    let (mut name, mut dims, mut kind) = (String::new(), Vec::new(), 0);
    let (mut raw, mut floats, mut longs) = (None, Vec::new(), Vec::new());
    for field in Fields::new(bytes) {
        match field? {
            (1, Value::Varint(d)) => dims.push(d as usize),
            (1, Value::Bytes(b)) => dims.extend(packed_varints(b)?.into_iter().map(|d| d as usize)),
            (2, Value::Varint(k)) => kind = k,
            (4, Value::Bytes(b)) => floats.extend(
                b.chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            ),
            (4, Value::Fixed32(f)) => floats.push(f32::from_bits(f)),
            (7, Value::Bytes(b)) => longs.extend(packed_varints(b)?),
            (7, Value::Varint(i)) => longs.push(i as i64),
            (8, Value::Bytes(b)) => name = string(b)?,
            (9, Value::Bytes(b)) => raw = Some(b),
            (13, _) | (14, _) => return Err(malformed(&format!("{name}: external data"))),
            _ => {}
        }
    }
    let count: usize = dims.iter().product();
    let data = match kind {
        FLOAT => WeightData::F32(match raw {
            Some(b) => b
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
            None => floats,
        }),
        INT64 => WeightData::I64(match raw {
            Some(b) => b
                .chunks_exact(8)
                .map(|c| i64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                .collect(),
            None => longs,
        }),
        other => return Err(malformed(&format!("{name}: element type {other}"))),
    };
    let len = match &data {
        WeightData::F32(v) => v.len(),
        WeightData::I64(v) => v.len(),
    };
    if len != count {
        return Err(malformed(&format!(
            "{name}: {len} values for shape {dims:?}"
        )));
    }
    Ok((name, Weight { dims, data }))
}

fn value_info_name(bytes: &[u8]) -> Result<String, DetectError> {
    for field in Fields::new(bytes) {
        if let (1, Value::Bytes(b)) = field? {
            return string(b);
        }
    }
    Err(malformed("an input or output without a name"))
}

fn string(bytes: &[u8]) -> Result<String, DetectError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| malformed("a name that is not UTF-8"))
}

fn packed_varints(mut bytes: &[u8]) -> Result<Vec<i64>, DetectError> {
    let mut values = Vec::new();
    while !bytes.is_empty() {
        values.push(varint(&mut bytes)? as i64);
    }
    Ok(values)
}

fn malformed(what: &str) -> DetectError {
    DetectError::Malformed(what.to_string())
}

/// One field's value on the wire.
#[derive(Debug, Clone, Copy)]
enum Value<'a> {
    Varint(u64),
    Fixed64,
    Bytes(&'a [u8]),
    Fixed32(u32),
}

/// The fields of one message, in order: (field number, value).
struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Fields<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    fn next_field(&mut self) -> Result<(u64, Value<'a>), DetectError> {
        let key = varint(&mut self.rest)?;
        let value = match key & 7 {
            0 => Value::Varint(varint(&mut self.rest)?),
            1 => {
                self.take(8)?;
                Value::Fixed64
            }
            2 => {
                let len = usize::try_from(varint(&mut self.rest)?)
                    .map_err(|_| malformed("a field longer than memory"))?;
                Value::Bytes(self.take(len)?)
            }
            5 => Value::Fixed32(u32::from_le_bytes(
                self.take(4)?.try_into().expect("4 bytes"),
            )),
            wire => return Err(malformed(&format!("wire type {wire}"))),
        };
        Ok((key >> 3, value))
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], DetectError> {
        if len > self.rest.len() {
            return Err(malformed("a field past the end"));
        }
        let (taken, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(taken)
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<(u64, Value<'a>), DetectError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let field = self.next_field();
        if field.is_err() {
            self.rest = &[];
        }
        Some(field)
    }
}

fn varint(bytes: &mut &[u8]) -> Result<u64, DetectError> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes
            .split_first()
            .ok_or_else(|| malformed("a number past the end"))?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(malformed("a number of more than 64 bits"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_fields_decode_as_protobuf_encodes_them() {
        // Field 1 varint 300, field 2 bytes "hi", field 3 fixed32 1.5f32.
        let mut bytes = vec![0x08, 0xac, 0x02, 0x12, 0x02, b'h', b'i', 0x1d];
        bytes.extend(1.5f32.to_le_bytes());
        let fields: Vec<_> = Fields::new(&bytes).collect::<Result<_, _>>().unwrap();
        assert!(matches!(fields[0], (1, Value::Varint(300))));
        assert!(matches!(fields[1], (2, Value::Bytes(b"hi"))));
        assert!(matches!(fields[2], (3, Value::Fixed32(f)) if f32::from_bits(f) == 1.5));
    }

    #[test]
    fn a_truncated_message_is_an_error() {
        let bytes = [0x12, 0x05, b'h'];
        assert!(Fields::new(&bytes).any(|f| f.is_err()));
        assert!(parse(&bytes).is_err());
    }
}
