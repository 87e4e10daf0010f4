import { describe, expect, it } from 'vitest';
import { decodeJsonStringInPlace } from '../../src/inspector/json-string.js';

/** Decodes like the fast path does, from a message `{"chunk":"..."}` as the inspector sends it. */
function decode(text: string): string | null {
  const buf = Buffer.from(JSON.stringify({ chunk: text }) + 'tail');
  const start = buf.indexOf('"chunk":"') + '"chunk":"'.length;
  const r = decodeJsonStringInPlace(buf, start);
  if (!r) return null;
  expect(buf.subarray(r.next).toString()).toBe('}tail');
  return buf.subarray(start, r.end).toString('utf8');
}

describe('decodeJsonStringInPlace', () => {
  it('decodes what JSON.stringify wrote, to the same UTF-8 bytes', () => {
    const samples = [
      '',
      'plain',
      '{"snapshot":{"meta":{"node_fields":["type","name"]}},\n"nodes":[9,1,2,3,\n4]}',
      'quotes " and \\ backslashes \\" / slash \b\f\n\r\t',
      'control \u0000\u0001\u001f',
      'unicode é ü € 中文 😀 \u2028\u2029',
    ];
    for (const s of samples) expect(decode(s)).toBe(s);
  });

  it('matches Buffer.from for random strings, lone surrogates included', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = ['a', '"', '\\', '\n', '\u0007', 'é', '€', '😀', '\ud800', '\udc00', '/', '1', ','];
    for (let k = 0; k < 300; k++) {
      let s = '';
      const len = rand(200);
      for (let i = 0; i < len; i++) s += alphabet[rand(alphabet.length)];
      const expected = Buffer.from(s, 'utf8').toString('utf8');
      expect(decode(s)).toBe(expected);
    }
  });

  it('decodes \\u escapes of every size, and rejects malformed input', () => {
    const at = (json: string): string | null => {
      const buf = Buffer.from(json);
      const r = decodeJsonStringInPlace(buf, 1);
      return r ? buf.subarray(1, r.end).toString('utf8') : null;
    };
    expect(at('"\\u0041\\u00e9\\u20ac\\ud83d\\ude00"')).toBe('Aé€😀');
    expect(at('"\\uD83D\\uDE00"')).toBe('😀');
    expect(at('"unterminated')).toBe(null);
    expect(at('"bad \\x escape"')).toBe(null);
    expect(at('"bad \\u12G4"')).toBe(null);
  });
});
