// Growing typed-array columns: the decoder's and the model's append-only columns double when full.

type TypedArray = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array

/** A new array of the same kind, `size` long (twice `a` by default), starting with `a`'s contents. */
export function grown<T extends TypedArray>(a: T, size = a.length * 2): T {
  const next = new (a.constructor as new (n: number) => T)(size)
  next.set(a)
  return next
}
