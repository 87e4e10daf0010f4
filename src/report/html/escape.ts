/**
 * Escaping for the HTML report. Every string that comes from a report (class names, retainer
 * edges, pool names, commands, notes) comes from an untrusted heap or command line, so nothing is
 * put in the page unescaped: text and attributes through `esc`, data through `jsonForScript`.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or a double- or single-quoted attribute value. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * JSON to sit inside `<script type="application/json">`: `<`, `>` and `&` become \u escapes so no
 * string in it can close the script element (`</script>`) or open a comment (`<!--`), and U+2028/9
 * are escaped for old parsers. JSON.parse turns every escape back into the same character.
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A trusted script (uPlot's dist file, memprof's own chart code) inlined in a `<script>` element:
 * a literal `</script` in it would end the element early, so it is split (`<\/script` is the same
 * string to JavaScript).
 */
export function inlineScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

/** CSS inlined in a `<style>` element, guarded the same way. */
export function inlineStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}
