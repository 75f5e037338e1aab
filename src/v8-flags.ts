/**
 * V8 does not throw on a flag it does not know: it prints an error on stderr. Ocellus sets V8 flags only on the
 * Node.js lines they were measured on (their V8 has every one of them); elsewhere it runs with V8's defaults.
 */
const TUNED_NODE_MAJORS = new Set([22, 23, 24, 25, 26]);

export function v8FlagsTuned(nodeVersion: string = process.versions.node): boolean {
  return TUNED_NODE_MAJORS.has(Number(nodeVersion.split('.')[0]));
}
