/**
 * Whether to draw live progress (a line rewritten in place): only for a person at a terminal.
 * CI logs keep every rewrite as a new line, so CI gets the plain lines instead.
 */
export function liveProgress(stream: NodeJS.WriteStream = process.stderr): boolean {
  const ci = process.env.CI;
  return Boolean(stream.isTTY) && (ci === undefined || ci === '' || ci === '0' || ci === 'false');
}
