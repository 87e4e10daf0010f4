/**
 * DevTools names plain objects (`Object` instances) after their properties, `{transport, state}`,
 * when enough objects share those properties: at least 2 objects and 1 in 1000 plain objects.
 * Inference looks at each object's property names in edge order (skipping `__proto__`), up to a
 * name length of ~120 characters; the popular ones become interface definitions. Then each plain
 * object takes the definition with the most properties all of which it has (ties: the more
 * popular), or stays `Object`.
 *
 * Here all of that runs once per distinct property sequence, not once per object.
 */

const MAX_NAME_LENGTH = 120;
const MIN_COUNT = 2;
const MIN_PROPORTION = 1000;

export interface InterfaceDefinition {
  name: string;
  properties: string[];
}

/** How DevTools writes a property name inside `{...}`: quoted when it holds , ' " { or }. */
export function formatPropertyName(name: string): string {
  return /[,'"{}]/.test(name) ? JSON.stringify(name) : name;
}

/** The candidate interface name for one property sequence, or undefined when it has no properties. */
function candidateFor(names: string[]): { name: string; properties: string[] } | undefined {
  let text = '{';
  const properties: string[] = [];
  for (const name of names) {
    if (name === '__proto__') continue;
    const formatted = formatPropertyName(name);
    if (text.length > 1 && text.length + formatted.length > MAX_NAME_LENGTH) break;
    if (text.length !== 1) text += ', ';
    text += formatted;
    properties.push(name);
  }
  if (properties.length === 0) return undefined;
  return { name: text + '}', properties };
}

/**
 * @param sequences property names per distinct sequence, in first-seen order
 * @param counts objects per sequence
 */
export function inferInterfaces(sequences: string[][], counts: ArrayLike<number>): InterfaceDefinition[] {
  const candidates = new Map<string, { name: string; properties: string[]; count: number }>();
  let total = 0;
  for (let i = 0; i < sequences.length; i++) {
    total += counts[i];
    const c = candidateFor(sequences[i]);
    if (!c) continue;
    const existing = candidates.get(c.name);
    if (existing) existing.count += counts[i];
    else candidates.set(c.name, { ...c, count: counts[i] });
  }
  // Stable sort: equally popular candidates keep first-seen order, as DevTools' do.
  const sorted = [...candidates.values()].sort((a, b) => b.count - a.count);
  const minCount = Math.max(MIN_COUNT, total / MIN_PROPORTION);
  const result: InterfaceDefinition[] = [];
  for (const c of sorted) {
    if (c.count < minCount) break;
    result.push({ name: c.name, properties: c.properties });
  }
  return result;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  greatest: string | null;
  match: { name: string; size: number; index: number } | null;
}

/** Matches property sets against definitions: the best definition whose properties the object all has. */
export class InterfaceMatcher {
  private readonly root: TrieNode = { next: new Map(), greatest: null, match: null };

  constructor(definitions: InterfaceDefinition[]) {
    definitions.forEach((def, index) => {
      const props = [...def.properties].sort();
      let node = this.root;
      for (const p of props) {
        let child = node.next.get(p);
        if (!child) {
          child = { next: new Map(), greatest: null, match: null };
          node.next.set(p, child);
          if (node.greatest === null || node.greatest < p) node.greatest = p;
        }
        node = child;
      }
      if (!node.match) node.match = { name: def.name, size: props.length, index };
    });
  }

  /** The interface name for an object with these property names (any order), or undefined. */
  match(propertyNames: string[]): string | undefined {
    const props = [...propertyNames].sort();
    let best = this.root.match;
    let states: TrieNode[] = [this.root];
    for (const p of props) {
      const nextStates: TrieNode[] = [];
      for (const s of states) {
        const child = s.next.get(p);
        // A state stays alive while a later (greater or equal) property could still extend it.
        if (s.greatest !== null && p < s.greatest) nextStates.push(s);
        if (child) {
          if (!nextStates.includes(child)) nextStates.push(child);
          const m = child.match;
          if (m && (!best || m.size > best.size || (m.size === best.size && m.index < best.index))) best = m;
        }
      }
      states = nextStates;
    }
    return best?.name;
  }
}
