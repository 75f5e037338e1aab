/**
 * Which calls a file's facts keep. Every call used to become a CallFact with its arguments described
 * (`<expr>.push`, `Error`, a minified `e(t)`): 548k of them for next@15.5.29, 354 MB of heap, most of it read by
 * nobody. The checks read calls in three ways, and a call is kept when any of them can see it:
 * - by a callee that resolves to a module or a global (`fs.readFileSync`, `https.request().end`, `eval`,
 *   `child_process.<computed>`), or that a name predicate of names.ts accepts as written (`ws(url)`): every
 *   API predicate in names.ts and in the checks tests those;
 * - by what the callee is called, whatever it resolves to: `server.tool`, `transporter.sendMail`, a request
 *   helper's `client.post` (tool descriptions, mail recipients, the hosts the version diff sees called);
 *   the words below are a wide superset of those the checks test;
 * - by the data flowing into it: a call whose arguments carry anything from the environment, a file, the
 *   network, the host or a decoder (`send(JSON.stringify(process.env))`, `h(readFileSync(key))`) is what
 *   "the package gathers credentials" and every source-to-sink check reads.
 *   That test is each argument's own origins (what `ValueFact.origins` holds at the top); the deeper origins
 *   `argOrigins` also collects (a function stored in an object argument, an argument past 3,000 nodes) keep
 *   no call, and today only calls kept for their callee are read that deep.
 * A call reached through a computed name (`obj[k](...)`) is always kept: hiding the name is the signal.
 * What is dropped is a call to an unresolved name with a neutral name and no data from a source.
 */

import {
  isDecoder,
  isDns,
  isDynamicCode,
  isExec,
  isFileRead,
  isFileWrite,
  isHostInfo,
  isNetwork,
} from './names.js';

/** A callee name that did not resolve: a bare or local identifier, or a method of an unresolved value. */
const UNRESOLVED = /^(?:<expr>(?:\.|$)|local |[\w$]+$)/;

const READ_BY_NAME =
  /send|mail|messag|deliver|fetch|request|get|post|put|patch|axios|got|open|connect|socket|tool|prompt|resource|exec|spawn|fork|eval|compile|run|require|import|load|write|read|append|decode|decrypt|inflate|unzip|upload|publish|hook|http|beacon|emit|pipe|shell|command/i;

export interface CallShape {
  /** The callee resolved to a module or global (`refOf` answered). */
  resolved: boolean;
  /** The canonical or written callee name (`child_process.exec`, `<expr>.send`, `e`). */
  name: string;
  /** The callee as written in the source. */
  written: string;
  /** Reached through a computed key. */
  hidden: boolean;
}

/** Whether the checks can read this call by its callee alone; if not, only data in its arguments keeps it. */
export function keptForCallee(call: CallShape): boolean {
  return (
    call.resolved ||
    call.hidden ||
    !UNRESOLVED.test(call.name) ||
    READ_BY_NAME.test(call.name) ||
    READ_BY_NAME.test(call.written) ||
    // Bare names the API predicates accept unresolved (`ws(url)`, `needle(...)`): what they saw, they still see.
    NAME_PREDICATES.some((accepts) => accepts(call.name))
  );
}

const NAME_PREDICATES = [
  isExec,
  isNetwork,
  isDns,
  isFileRead,
  isFileWrite,
  isDynamicCode,
  isHostInfo,
  isDecoder,
];
