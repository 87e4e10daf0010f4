import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Colour only for a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export function paint(style: Style, text: string, enabled = useColor()): string {
  return enabled ? styleText(style, text) : text;
}
