/**
 * One short string a JSON Schema `pattern` accepts, for default tool arguments. Patterns in tool
 * schemas are mostly anchored sequences of literals, classes (\d, [a-z0-9-]) and quantifiers:
 * the sampler walks such a pattern taking the first choice and the fewest repetitions each time.
 * What it cannot read (lookarounds, backreferences) yields null; the caller verifies the sample
 * with the real RegExp anyway.
 */
export function sampleForPattern(pattern: string): string | null {
  try {
    const out = new Sampler(pattern).sequence();
    return new RegExp(pattern, 'u').test(out) ? out : null;
  } catch {
    return null;
  }
}

class Unsupported extends Error {}

class Sampler {
  private i = 0;

  constructor(private readonly p: string) {}

  /** A sequence up to `|` or `)`: the first alternative is the one sampled. */
  sequence(): string {
    let out = '';
    while (this.i < this.p.length && this.p[this.i] !== ')') {
      if (this.p[this.i] === '|') {
        this.skipAlternatives();
        break;
      }
      const atom = this.atom();
      out += this.repeat(atom);
    }
    return out;
  }

  /** After the first alternative: skip the rest up to the `)` closing this group (or the end). */
  private skipAlternatives(): void {
    let depth = 0;
    for (; this.i < this.p.length; this.i++) {
      const c = this.p[this.i];
      if (c === '\\') this.i++;
      else if (c === '[') this.skipClass();
      else if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) return;
        depth--;
      }
    }
  }

  private skipClass(): void {
    for (this.i++; this.i < this.p.length && this.p[this.i] !== ']'; this.i++) if (this.p[this.i] === '\\') this.i++;
  }

  private atom(): string {
    const c = this.p[this.i++];
    switch (c) {
      case '^':
      case '$':
        return '';
      case '.':
        return 'x';
      case '\\':
        return this.escape(this.p[this.i++]);
      case '[':
        return this.charClass();
      case '(': {
        if (this.p[this.i] === '?') {
          if (this.p[this.i + 1] !== ':') throw new Unsupported('lookaround or named group');
          this.i += 2;
        }
        const inner = this.sequence();
        if (this.p[this.i++] !== ')') throw new Unsupported('unclosed group');
        return inner;
      }
      default:
        return c;
    }
  }

  private escape(c: string | undefined): string {
    if (c === undefined) throw new Unsupported('trailing backslash');
    if (c === 'd') return '0';
    if (c === 'w') return 'x';
    if (c === 's') return ' ';
    if (c === 'D' || c === 'S') return 'x';
    if (c === 'W') return '-';
    if (/[1-9bBkpPu]/.test(c)) throw new Unsupported(`\\${c}`);
    if (c === 'n') return '\n';
    if (c === 't') return '\t';
    return c;
  }

  /** The first character the class allows (for a negated class, a letter or digit it does not exclude). */
  private charClass(): string {
    const start = this.i;
    const negated = this.p[this.i] === '^';
    if (negated) this.i++;
    const members: string[] = [];
    while (this.i < this.p.length && this.p[this.i] !== ']') {
      let c = this.p[this.i++];
      if (c === '\\') c = this.escape(this.p[this.i++]);
      if (this.p[this.i] === '-' && this.p[this.i + 1] !== ']' && this.i + 1 < this.p.length) {
        this.i++;
        let to = this.p[this.i++];
        if (to === '\\') to = this.escape(this.p[this.i++]);
        members.push(c, to);
      } else members.push(c);
    }
    if (this.p[this.i++] !== ']') throw new Unsupported('unclosed class');
    if (!negated) {
      if (members.length === 0) throw new Unsupported('empty class');
      return members[0];
    }
    const allowed = new RegExp(`[${this.p.slice(start, this.i - 1)}]`, 'u');
    for (const candidate of 'xa0A_-') if (allowed.test(candidate)) return candidate;
    throw new Unsupported('negated class excludes every candidate');
  }

  /** The quantifier after an atom, if any, at its fewest repetitions. */
  private repeat(atom: string): string {
    const c = this.p[this.i];
    let min = 1;
    if (c === '*' || c === '?') {
      min = 0;
      this.i++;
    } else if (c === '+') {
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.p.slice(this.i));
      if (!m) return atom;
      min = Number(m[1]);
      this.i += m[0].length;
    } else {
      return atom;
    }
    if (this.p[this.i] === '?' || this.p[this.i] === '+') this.i++; // lazy or possessive: same minimum
    return atom.repeat(min);
  }
}
