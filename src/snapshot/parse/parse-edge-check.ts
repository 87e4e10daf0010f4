import { SnapshotFormatError } from './parse-error.js';
import type { NumberArrayScanner } from './parse-numbers.js';

/**
 * Checks each edge's `to_node` while the edges stream in (V8 writes nodes first, so their count
 * is known): in range and at the start of a node. Done per chunk, while the chunk is still at
 * hand, so a bad edge is reported at its exact byte offset. The final validation repeats the
 * check for files in another order.
 */
export class EdgeTargetCheck {
  /** Index (into the edges values) of the next to_node field to check. */
  private next: number;
  /** File offset where a number cut by the last chunk border began. */
  private carriedStart = 0;

  constructor(
    private readonly edgeFieldCount: number,
    toNodeOffset: number,
    private readonly nodeFieldCount: number,
    private readonly nodesLength: number,
  ) {
    this.next = toNodeOffset;
  }

  /**
   * Checks the to_node fields completed by the last scan. `before`/`wasInNumber`: the scanner's
   * length and state before it read `buf[from..to)`.
   */
  check(scanner: NumberArrayScanner, before: number, wasInNumber: boolean, buf: Uint8Array, from: number, to: number, base: number): void {
    const values = scanner.values;
    const length = scanner.length;
    const nodesLength = this.nodesLength;
    const nodeFieldCount = this.nodeFieldCount;
    let k = this.next;
    for (; k < length; k += this.edgeFieldCount) {
      const target = values[k];
      if (target >= nodesLength || target % nodeFieldCount !== 0) {
        const why =
          target >= nodesLength
            ? `outside the ${nodesLength / nodeFieldCount} nodes`
            : `not at the start of a node (not a multiple of ${nodeFieldCount} fields)`;
        throw new SnapshotFormatError(
          `edge #${Math.floor(k / this.edgeFieldCount)} has to_node ${target}, ${why}`,
          this.valueStart(buf, from, to, base, k - before, wasInNumber),
          scanner.section,
        );
      }
    }
    this.next = k;
    if (scanner.inNumberAtEnd) {
      let p = to;
      while (p > from && buf[p - 1] >= 48 && buf[p - 1] <= 57) p--;
      if (p > from || !wasInNumber) this.carriedStart = base + p;
    }
  }

  /** The file offset where the n-th number completed in `buf[from..to)` begins. */
  private valueStart(buf: Uint8Array, from: number, to: number, base: number, n: number, inNumber: boolean): number {
    let start = inNumber ? this.carriedStart : base + from;
    let seen = 0;
    for (let p = from; p < to; p++) {
      const c = buf[p];
      const digit = c >= 48 && c <= 57;
      if (digit && !inNumber) start = base + p;
      if (!digit && inNumber) {
        if (seen === n) return start;
        seen++;
      }
      inNumber = digit;
    }
    return start;
  }
}
