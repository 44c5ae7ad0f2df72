/**
 * A minimal protobuf writer for the few ONNX messages make-tiny-model.mjs needs.
 * Field numbers follow onnx.proto (proto2, so repeated scalars are written unpacked).
 */

export const DT = { FLOAT: 1, UINT8: 2, INT64: 7 };
const ATTR = { FLOAT: 1, INT: 2, INTS: 7 };

function varint(value) {
  // int64 fields: negative numbers are ten-byte two's complement varints.
  let v = BigInt.asUintN(64, BigInt(value));
  const out = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return Buffer.from(out);
}

const tag = (field, wire) => varint((field << 3) | wire);
const int = (field, n) => Buffer.concat([tag(field, 0), varint(n)]);
const len = (field, buf) => Buffer.concat([tag(field, 2), varint(buf.length), buf]);
const str = (field, s) => len(field, Buffer.from(s, 'utf8'));
const f32 = (field, x) => {
  const b = Buffer.alloc(4);
  b.writeFloatLE(x);
  return Buffer.concat([tag(field, 5), b]);
};

/** TensorProto with raw little-endian data. `data` is a Float32Array, Uint8Array or BigInt64Array. */
export function tensor(name, dataType, dims, data) {
  const raw = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([...dims.map((d) => int(1, d)), int(2, dataType), str(8, name), len(9, raw)]);
}

/** AttributeProto from a plain value: integer → INT, non-integer number → FLOAT, array → INTS. */
export function attr(name, value) {
  if (Array.isArray(value)) return Buffer.concat([str(1, name), ...value.map((v) => int(8, v)), int(20, ATTR.INTS)]);
  if (typeof value === 'object' && value.float !== undefined) return Buffer.concat([str(1, name), f32(2, value.float), int(20, ATTR.FLOAT)]);
  return Buffer.concat([str(1, name), int(3, value), int(20, ATTR.INT)]);
}

export function node(opType, inputs, outputs, attrs = {}, name = outputs[0]) {
  return Buffer.concat([
    ...inputs.map((i) => str(1, i)),
    ...outputs.map((o) => str(2, o)),
    str(3, name),
    str(4, opType),
    ...Object.entries(attrs).map(([k, v]) => len(5, attr(k, v))),
  ]);
}

/** ValueInfoProto for a tensor; string dims are symbolic (batch_size, sequence_length). */
export function valueInfo(name, elemType, dims) {
  const shape = Buffer.concat(dims.map((d) => len(1, typeof d === 'string' ? str(2, d) : int(1, d))));
  const tensorType = Buffer.concat([int(1, elemType), len(2, shape)]);
  return Buffer.concat([str(1, name), len(2, len(1, tensorType))]);
}

export function graph({ name, nodes, initializers, inputs, outputs }) {
  return Buffer.concat([
    ...nodes.map((n) => len(1, n)),
    str(2, name),
    ...initializers.map((t) => len(5, t)),
    ...inputs.map((v) => len(11, v)),
    ...outputs.map((v) => len(12, v)),
  ]);
}

export function model(graphBytes, { irVersion = 8, opset = 13, producer = 'opsctl make-tiny-model' } = {}) {
  const opsetId = Buffer.concat([str(1, ''), int(2, opset)]);
  return Buffer.concat([int(1, irVersion), str(2, producer), len(7, graphBytes), len(8, opsetId)]);
}
