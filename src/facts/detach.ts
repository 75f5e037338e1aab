/**
 * V8 keeps a substring (a literal's value, a 160-character excerpt) as a view of the string it was cut
 * from, and a concatenation as a pair of its parts: one such string kept in the facts keeps the whole
 * decoded source of the file alive for as long as the facts live (the whole scan, and the version diff's
 * reuse). The facts of a file are therefore rewritten once with strings of their own, equal strings
 * shared: callee names, excerpts and refs repeat thousands of times in a bundle.
 */
export function detachStrings<T extends object>(facts: T): T {
  const copies = new Map<string, string>();
  const own = (text: string): string => {
    // V8 copies substrings under 13 characters, so those hold nothing else alive.
    if (text.length < 13) return text;
    let copy = copies.get(text);
    if (copy === undefined) {
      // Flattening the concatenation copies the characters; the slice is then a view of that copy alone.
      copy = ` ${text}`.slice(1);
      copies.set(copy, copy);
    }
    return copy;
  };
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') return own(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = visit(value[i]);
    } else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      // Own keys only: a `__proto__` key in the code makes a ValueFact's properties inherit from another object.
      for (const key in record) if (Object.hasOwn(record, key)) record[key] = visit(record[key]);
    }
    return value;
  };
  return visit(facts) as T;
}
