/** Typed arrays that grow as they fill. */

/** A typed array's values, copied to the start of a larger one of the same type. */
export function grown<
  T extends
    | Int32Array<ArrayBuffer>
    | Uint32Array<ArrayBuffer>
    | Uint8Array<ArrayBuffer>
    | Uint16Array<ArrayBuffer>,
>(array: T, size: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(size);
  bigger.set(array);
  return bigger;
}

/** Numbers (32-bit integers) added one at a time, kept in a typed array that doubles when full. */
export class IntList {
  values = new Int32Array(4);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) this.values = grown(this.values, this.length * 2);
    this.values[this.length++] = value;
  }
}
