/**
 * A compose `command` written as one string, split into words the way compose
 * splits it (Python's shlex, POSIX rules): spaces separate, quotes group, a
 * backslash escapes outside single quotes. No shell runs it, so `&&` or `$X`
 * are words like any other.
 */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote === "'") {
      if (char === "'") quote = null;
      else word += char;
    } else if (char === '\\' && i + 1 < text.length && (quote === null || '"\\$`'.includes(text[i + 1]))) {
      word = (word ?? '') + text[++i];
    } else if (quote === '"') {
      if (char === '"') quote = null;
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote) throw new Error(`the command \`${text}\` has an unclosed ${quote}`);
  if (word !== null) words.push(word);
  return words;
}
