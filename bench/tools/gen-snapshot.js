// Child process: builds the benchmark heap (N small objects in a Map plus arrays) and writes
// its snapshot. Args: OUT_FILE OBJECT_COUNT. The shape is fixed so sizes are comparable between
// runs: 1,000,000 objects give a snapshot of about 337 MB on Node 20.
import { writeHeapSnapshot } from 'node:v8';

const [out, countArg] = process.argv.slice(2);
const count = Number(countArg);
const map = new Map();
const arrays = [];
for (let i = 0; i < count; i++) {
  map.set('key:' + i, { id: i, name: 'object-' + i });
  if (i % 5 === 0) arrays.push([i, 'entry-' + i]);
}
globalThis.benchHeap = { map, arrays };
writeHeapSnapshot(out);
