// Node's globals, listed here so the lint config needs no extra package.
const names = [
  'process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout',
  'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'globalThis', 'queueMicrotask',
  'TextDecoder', 'TextEncoder', 'AbortController', 'AbortSignal', 'fetch', 'Response', 'Request',
  'Headers', 'structuredClone', 'performance', 'PerformanceObserver',
];
export default Object.fromEntries(names.map((n) => [n, 'readonly']));
