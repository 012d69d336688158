/** How the tree speaks of the Python that runs a project: which one, why it was chosen, its Django (Markdown). */
import type { ProjectInterpreter } from '../protocol/protocol';

/** Text shown as is in Markdown: paths carry `_` and `*`. */
function plain(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+\-.!|~]/g, '\\$&');
}

export function interpreterMarkdown(interpreter: ProjectInterpreter): string {
  const django = interpreter.djangoVersion ? `, Django ${plain(interpreter.djangoVersion)}` : '';
  return `Python: \`${interpreter.path.replace(/`/g, "'")}\` (${plain(interpreter.origin)}${django})`;
}
