/**
 * The code blocks of the project's docs, for the tests that check a sample
 * in the docs against what the code does: a sample that no longer loads
 * fails a test instead of a reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DOCS_FOLDER = join(import.meta.dirname, '..', 'docs');

/**
 * The first fenced block of `language` under the heading `heading` (its
 * whole line, e.g. `### Writing a profile`) of docs/`doc`. Throws when the
 * heading or the block is not there, naming them.
 */
export function docCodeBlock(doc: string, heading: string, language: string): string {
  const lines = readFileSync(join(DOCS_FOLDER, doc), 'utf8').split('\n');
  const at = lines.indexOf(heading);
  if (at < 0) throw new Error(`docs/${doc} has no heading "${heading}"`);
  const section = lines.slice(at + 1).join('\n');
  const block = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(section);
  if (block === null) throw new Error(`docs/${doc}, ${heading}: no \`\`\`${language} block`);
  return block[1]!;
}
