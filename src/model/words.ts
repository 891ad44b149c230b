/** `1 finding`, `2 findings`: for diagnostic and gate messages (document wording lives in templates). */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
