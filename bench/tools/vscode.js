// Child process: VS Code's parser (@vscode/v8-heap-parser, Rust compiled to WebAssembly):
// load, then the class groups with retained sizes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { decode_bytes: decodeBytes } = require('@vscode/v8-heap-parser');

const graph = decodeBytes(readFileSync(process.argv[2]));
const groups = graph.get_class_groups(0, 1_000_000_000, false);
const top = groups[0];
process.stdout.write(JSON.stringify({ classes: groups.length, top: top ? { name: top.name(), retainedSize: Number(top.retained_size) } : null }) + '\n');
