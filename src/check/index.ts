/** The checklist and the regression gate (pure): config parsing, figure lookup, evaluation. */
export { evaluateChecks, describe } from './evaluate.js';
export { parseConfig, defaultConfig, DEFAULT_CONFIG_JSON, type CheckConfig, type CheckSpec } from './config.js';
export { figureKind, KNOWN_FIGURES, type FigureKind } from './figures.js';
export { parseThreshold, parseTolerance, compare, type Op, type Threshold, type Tolerance } from './units.js';
export { resolvePath } from './resolve.js';
