/**
 * Interns sequences of uint32 (here: the property-name string indices of an object) into dense
 * ids, in first-seen order, with an open-addressing hash table over typed arrays. Millions of
 * plain objects usually share a few hundred shapes, so per-shape work is then done once.
 */
export class SequenceTable {
  private pool = new Uint32Array(1024);
  private poolUsed = 0;
  private starts = new Uint32Array(256);
  private lengths = new Uint32Array(256);
  private hashes = new Uint32Array(256);
  private slots = new Int32Array(1024).fill(-1);
  size = 0;

  /** Returns the id of `seq[0..len)`, adding it if new. */
  intern(seq: Uint32Array, len: number): number {
    let h = 0x811c9dc5 ^ len;
    for (let i = 0; i < len; i++) h = Math.imul(h ^ seq[i], 0x01000193);
    h >>>= 0;
    const mask = this.slots.length - 1;
    let slot = h & mask;
    while (true) {
      const id = this.slots[slot];
      if (id === -1) break;
      if (this.hashes[id] === h && this.lengths[id] === len && this.equals(id, seq, len)) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.add(seq, len, h);
    this.slots[slot] = id;
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** The stored sequence for `id` (a view, valid until the next `intern`). */
  get(id: number): Uint32Array {
    return this.pool.subarray(this.starts[id], this.starts[id] + this.lengths[id]);
  }

  private equals(id: number, seq: Uint32Array, len: number): boolean {
    const start = this.starts[id];
    for (let i = 0; i < len; i++) if (this.pool[start + i] !== seq[i]) return false;
    return true;
  }

  private add(seq: Uint32Array, len: number, h: number): number {
    if (this.poolUsed + len > this.pool.length) {
      const bigger = new Uint32Array(Math.max(this.pool.length * 2, this.poolUsed + len));
      bigger.set(this.pool.subarray(0, this.poolUsed));
      this.pool = bigger;
    }
    this.pool.set(seq.subarray(0, len), this.poolUsed);
    if (this.size === this.starts.length) {
      this.starts = grow(this.starts);
      this.lengths = grow(this.lengths);
      this.hashes = grow(this.hashes);
    }
    const id = this.size++;
    this.starts[id] = this.poolUsed;
    this.lengths[id] = len;
    this.hashes[id] = h;
    this.poolUsed += len;
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = this.hashes[id] & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

function grow(a: Uint32Array): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}
