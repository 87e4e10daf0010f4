import { withForcedGcWindow } from './sampler.js';
import { CdpError, type CdpSession } from './session.js';

const GROUP = 'memprof-instances';

interface RemoteObject {
  objectId?: string;
  value?: unknown;
}

/**
 * Live instance counts per class name without a heap snapshot: Runtime.queryObjects over
 * Function.prototype finds the constructors of that name wherever they live (module scope
 * included), then Runtime.queryObjects over each constructor's prototype counts the objects that
 * inherit from it (subclass instances included, prototype objects excluded).
 *
 * Each queryObjects makes V8 collect all garbage first, so the counts are of live objects and the
 * GCs are marked forced. A name with no constructor in the heap counts 0 (no instance can exist).
 * Null when the target's inspector cannot query objects.
 */
export async function countInstances(session: CdpSession, classNames: string[]): Promise<Record<string, number> | null> {
  if (classNames.length === 0) return {};
  try {
    return await withForcedGcWindow(session, () => count(session, classNames));
  } catch (err) {
    if (err instanceof CdpError) return null;
    throw err;
  } finally {
    if (session.isOpen) await session.send('Runtime.releaseObjectGroup', { objectGroup: GROUP }, { timeoutMs: 5000 }).catch(() => {});
  }
}

async function count(session: CdpSession, classNames: string[]): Promise<Record<string, number>> {
  const fnProto = await session.send<{ result: RemoteObject }>('Runtime.evaluate', { expression: 'Function.prototype', objectGroup: GROUP, silent: true });
  const allFns = await session.send<{ objects: RemoteObject }>(
    'Runtime.queryObjects',
    { prototypeObjectId: fnProto.result.objectId, objectGroup: GROUP },
    { timeoutMs: 120_000 },
  );
  // Keep the matching constructors' prototypes in an array object in the target, names alongside.
  const matches = await callOn<RemoteObject>(
    session,
    allFns.objects.objectId!,
    `function (names) {
      const out = [];
      for (const f of this) {
        try {
          const d = Object.getOwnPropertyDescriptor(f, 'name');
          const name = d && typeof d.value === 'string' ? d.value : '';
          if (!names.includes(name)) continue;
          const p = Object.getOwnPropertyDescriptor(f, 'prototype');
          if (p && p.value && typeof p.value === 'object') out.push([name, p.value]);
        } catch {}
      }
      return out;
    }`,
    [classNames],
    false,
  );
  const names = (await callOn<{ value: string[] }>(session, matches.objectId!, 'function () { return this.map((m) => m[0]); }', [], true)).value;

  const counts: Record<string, number> = Object.fromEntries(classNames.map((n) => [n, 0]));
  for (let i = 0; i < names.length; i++) {
    const proto = await callOn<RemoteObject>(session, matches.objectId!, 'function (i) { return this[i][1]; }', [i], false);
    const found = await session.send<{ objects: RemoteObject }>(
      'Runtime.queryObjects',
      { prototypeObjectId: proto.objectId, objectGroup: GROUP },
      { timeoutMs: 120_000 },
    );
    const n = await callOn<{ value: number }>(
      session,
      found.objects.objectId!,
      `function () {
        let n = 0;
        for (const o of this) {
          let isPrototype = false;
          try {
            const c = Object.getOwnPropertyDescriptor(o, 'constructor');
            isPrototype = Boolean(c && typeof c.value === 'function' && c.value.prototype === o);
          } catch {}
          if (!isPrototype) n++;
        }
        return n;
      }`,
      [],
      true,
    );
    counts[names[i]] += n.value;
  }
  return counts;
}

async function callOn<T>(session: CdpSession, objectId: string, fn: string, args: unknown[], byValue: boolean): Promise<T> {
  const res = await session.send<{ result: T; exceptionDetails?: { text: string } }>(
    'Runtime.callFunctionOn',
    { objectId, functionDeclaration: fn, arguments: args.map((value) => ({ value })), returnByValue: byValue, objectGroup: GROUP, silent: true },
    { timeoutMs: 60_000 },
  );
  if (res.exceptionDetails) throw new CdpError('Runtime.callFunctionOn', -1, res.exceptionDetails.text);
  return res.result;
}
