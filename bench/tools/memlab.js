// Child process: memlab (@memlab/heap-analysis): load with dominators and retained sizes, then
// a per-class summary (count, self size, retained size) as its ObjectSizeAnalysis would need.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { getFullHeapFromFile } = require('@memlab/heap-analysis');

const heap = await getFullHeapFromFile(process.argv[2]);
const classes = new Map();
heap.nodes.forEach((node) => {
  const row = classes.get(node.name) ?? { name: node.name, count: 0, selfSize: 0, retainedSize: 0 };
  row.count++;
  row.selfSize += node.self_size;
  row.retainedSize += node.retainedSize;
  classes.set(node.name, row);
});
const rows = [...classes.values()].sort((a, b) => b.retainedSize - a.retainedSize);
process.stdout.write(JSON.stringify({ classes: rows.length, top: rows[0] ? { name: rows[0].name, retainedSize: rows[0].retainedSize } : null }) + '\n');
