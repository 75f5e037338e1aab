import { bundledNameIndex } from './typosquat/bundled.js';
import { findSuspects } from './typosquat/matcher.js';

/**
 * The popular package a missing name most likely meant, for "not found; did you mean …". The name is judged
 * as a brand-new package, since the registry just said it does not exist.
 */
export function closestName(name: string): string | undefined {
  return findSuspects(name, bundledNameIndex(), { suspectDownloads: null })[0]?.target;
}
