/**
 * The one-way layers of src/: a folder may import only folders of a lower layer (and itself).
 * Data models at the bottom, importing nobody; the pure core (snapshot, analysis, check) above
 * util; I/O (io, inspector, load) above the core; formatters, the profile orchestration, the
 * commands, and the CLI and API on top. test/docs/layers.test.ts checks the same order for cycles.
 */
export const LAYERS = [
  ['model'],
  ['util'],
  ['snapshot', 'analysis', 'check'],
  ['io', 'inspector', 'load'],
  ['report', 'options'],
  ['profile'],
  ['commands'],
  ['cli', 'api'],
];

/** ESLint blocks forbidding, in each folder of src/, imports of its own layer's siblings and of layers above. */
export function layerRules() {
  return LAYERS.flatMap((layer, i) =>
    layer.map((folder) => {
      const forbidden = LAYERS.slice(i).flat().filter((f) => f !== folder);
      return {
        files: [`src/${folder}/**/*.ts`, `src/${folder}/**/*.tsx`],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                {
                  group: forbidden.flatMap((f) => [`../${f}/*`, `../../${f}/*`, `../../../${f}/*`]).concat(['../index.js', '../../index.js']),
                  message: `src/${folder} sits below that folder in the layers of eslint.layers.js: imports go one way`,
                },
              ],
            },
          ],
        },
      };
    }),
  );
}
