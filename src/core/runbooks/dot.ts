// Dot products of one query against many stored unit vectors, in WebAssembly. A cold `ask` runs this once per
// process, before V8 has optimised anything: the same loop in JavaScript runs in the interpreter, which boxes every
// float product on the heap (1,600 × 192 multiply-adds cost ~7 ms, and the garbage set off a ~15 ms major collection).
// WebAssembly is compiled before it runs and keeps floats unboxed: ~3 ms cold for those 1,600 rows, copy included,
// 0.5 ms warm; float32 maths like hnswlib's.

/**
 * The module, hand-assembled from this text format (params are byte addresses except n and dim):
 *
 *   (func (export "dots") (param $q i32) (param $rows i32) (param $n i32) (param $dim i32) (param $out i32)
 *     (local $qend i32) (local $qi i32) (local $s f32)
 *     (local.set $qend (i32.add (local.get $q) (i32.shl (local.get $dim) (i32.const 2))))
 *     (block $done
 *       (br_if $done (i32.eqz (local.get $n)))
 *       (loop $row
 *         (local.set $s (f32.const 0))
 *         (local.set $qi (local.get $q))
 *         (loop $col
 *           (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $qi)) (f32.load (local.get $rows)))))
 *           (local.set $rows (i32.add (local.get $rows) (i32.const 4)))
 *           (br_if $col (i32.lt_u (local.tee $qi (i32.add (local.get $qi) (i32.const 4))) (local.get $qend))))
 *         (f32.store (local.get $out) (local.get $s))
 *         (local.set $out (i32.add (local.get $out) (i32.const 4)))
 *         (br_if $row (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
 *
 * plus one exported memory "mem" of one page at first.
 */
const BODY = [
  0x02, 0x02, 0x7f, 0x01, 0x7d, // locals: 2 × i32, 1 × f32
  0x20, 0x00, 0x20, 0x03, 0x41, 0x02, 0x74, 0x6a, 0x21, 0x05, // qend = q + (dim << 2)
  0x02, 0x40, 0x20, 0x02, 0x45, 0x0d, 0x00, // block; br_if done when n == 0
  0x03, 0x40, 0x43, 0x00, 0x00, 0x00, 0x00, 0x21, 0x07, 0x20, 0x00, 0x21, 0x06, // loop row; s = 0; qi = q
  0x03, 0x40, 0x20, 0x07, 0x20, 0x06, 0x2a, 0x02, 0x00, 0x20, 0x01, 0x2a, 0x02, 0x00, 0x94, 0x92, 0x21, 0x07, // loop col; s += q[qi] * rows[0]
  0x20, 0x01, 0x41, 0x04, 0x6a, 0x21, 0x01, // rows += 4
  0x20, 0x06, 0x41, 0x04, 0x6a, 0x22, 0x06, 0x20, 0x05, 0x49, 0x0d, 0x00, 0x0b, // qi += 4; br_if col qi < qend; end
  0x20, 0x04, 0x20, 0x07, 0x38, 0x02, 0x00, 0x20, 0x04, 0x41, 0x04, 0x6a, 0x21, 0x04, // *out = s; out += 4
  0x20, 0x02, 0x41, 0x01, 0x6b, 0x22, 0x02, 0x0d, 0x00, 0x0b, 0x0b, 0x0b, // n -= 1; br_if row n; end; end; end
];

const section = (id: number, bytes: number[]) => [id, bytes.length, ...bytes];
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [0x01, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]), // type: (i32 × 5) → ()
  ...section(3, [0x01, 0x00]), // one function of type 0
  ...section(5, [0x01, 0x00, 0x01]), // one memory, min 1 page
  ...section(7, [0x02, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x04, 0x64, 0x6f, 0x74, 0x73, 0x00, 0x00]), // export "mem", "dots"
  ...section(10, [0x01, BODY.length, ...BODY]),
]);

interface DotModule {
  mem: WebAssembly.Memory;
  dots: (q: number, rows: number, n: number, dim: number, out: number) => void;
}

let compiled: DotModule | undefined;

/** `rows` (row-major, `q.length` wide) times `q`: one dot product per row, in float32. */
export function dotAll(rows: Float32Array, q: Float32Array): Float32Array {
  const dim = q.length;
  const n = dim ? Math.floor(rows.length / dim) : 0;
  if (!n) return new Float32Array(n);
  compiled ??= new WebAssembly.Instance(new WebAssembly.Module(MODULE)).exports as unknown as DotModule;
  const { mem, dots } = compiled;
  const floats = dim + n * dim + n;
  const pages = Math.ceil((floats * 4) / 65536) - mem.buffer.byteLength / 65536;
  if (pages > 0) mem.grow(pages);
  const heap = new Float32Array(mem.buffer, 0, floats);
  heap.set(q, 0);
  heap.set(rows.subarray(0, n * dim), dim);
  dots(0, dim * 4, n, dim, (dim + n * dim) * 4);
  return heap.slice(dim + n * dim);
}
