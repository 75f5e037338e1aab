/**
 * How much a name match says about intent. A close look-alike of a far more popular package is the
 * typosquat pattern; a look-alike that is itself popular is a sibling (react/preact) or an established fork.
 */

export type Technique =
  | 'confusable'
  | 'separator'
  | 'transposition'
  | 'repeated-character'
  | 'omitted-character'
  | 'edit-distance'
  | 'token-order'
  | 'scope-confusion'
  | 'noise-affix'
  | 'brand-impersonation';

/** How telling each technique is on its own: deliberate tricks rank above a plain edit. */
const BASE_SCORE: Record<Technique, number> = {
  confusable: 0.95,
  separator: 0.9,
  transposition: 0.9,
  'repeated-character': 0.85,
  'omitted-character': 0.85,
  'scope-confusion': 0.85,
  'edit-distance': 0.8,
  'token-order': 0.8,
  'noise-affix': 0.75,
  'brand-impersonation': 0.6,
};

/** A suspect at or above this score is reported. */
export const REPORT_THRESHOLD = 0.5;
/** At or above this, the check reports high severity. */
export const HIGH_THRESHOLD = 0.8;
/**
 * A name that is itself in the popular list is only a suspect when its target is this many times more
 * downloaded: below that, both are established packages people choose on purpose.
 */
export const POPULAR_SUSPECT_GAP = 100;

export interface ScoreInput {
  technique: Technique;
  /** Edits for edit-distance matches (1 or 2). */
  distance?: number;
  targetDownloads: number | undefined;
  /** Downloads of the suspect itself when known (it is in the popular list); undefined for unknown names. */
  suspectDownloads: number | undefined;
  /** The target is a known MCP server: a squat of one gets full system access through an AI client. */
  targetIsMcpServer: boolean;
}

/** A score from 0 to 1, or 0 when the popularity gap says the two names are both legitimate. */
export function scoreSuspect(input: ScoreInput): number {
  let score = BASE_SCORE[input.technique];
  if (input.technique === 'edit-distance' && (input.distance ?? 1) >= 2) score = 0.6;
  if (input.suspectDownloads !== undefined) {
    const target = input.targetDownloads;
    if (target === undefined || target < POPULAR_SUSPECT_GAP * input.suspectDownloads) return 0;
    score *= 0.8;
  }
  if (input.targetIsMcpServer) score = Math.min(1, score + 0.05);
  return Math.round(score * 100) / 100;
}

/**
 * Sibling names that are far apart in popularity yet both legitimate, each reviewed: the edit between them
 * is a different word, not a slip. Checked in both directions.
 */
const LEGITIMATE_SIBLINGS: ReadonlyArray<readonly [string, string]> = [
  ['preact', 'react'],
  ['pug', 'pg'],
  ['chai', 'chalk'],
  ['ws', 'ms'],
  ['vue', 'vite'],
  ['yarn', 'yargs'],
  ['mocha', 'mochawesome'],
  ['nock', 'mock'],
  ['jest', 'just'],
  ['got', 'git'],
  ['knex', 'next'],
  ['koa', 'kea'],
  ['ava', 'java'],
  ['redux', 'redis'],
  ['inquirer', 'enquirer'],
];

const siblingKeys = new Set(LEGITIMATE_SIBLINGS.flatMap(([a, b]) => [`${a}\u0000${b}`, `${b}\u0000${a}`]));

export function isLegitimateSibling(suspect: string, target: string): boolean {
  return siblingKeys.has(`${suspect}\u0000${target}`);
}
