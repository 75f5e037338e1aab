/** One line of a file, trimmed, or undefined when the file or line is missing or the line is too long to quote. */
export function sourceLine(text: string | undefined, line: number, max = 200): string | undefined {
  if (!text || line < 1) return undefined;
  let start = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', start);
    if (next === -1) return undefined;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  const content = text.slice(start, end === -1 ? undefined : end).trim();
  return content.length > 0 && content.length <= max ? content : undefined;
}
