/** A LIKE pattern matching `fragment` anywhere, with `%`, `_` and `\` taken literally (ESCAPE '\'). */
export function containsPattern(fragment: string): string {
  return `%${fragment.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * What a customer search box means: a name fragment, and — when it holds at least two digits and
 * nothing but number punctuation — a number fragment matched against stored digits.
 */
export function searchTerms(q: string): { name: string; digits: string | null } {
  const name = q.trim().toLowerCase();
  const digits = q.replace(/\D+/g, '');
  const looksLikeNumber = /^[\d\s+()\-.]+$/.test(q.trim());
  return { name, digits: looksLikeNumber && digits.length >= 2 ? digits : null };
}
