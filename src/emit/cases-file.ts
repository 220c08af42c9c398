import { printOneLineLiteral } from './print-literal.js';

/** The one mustache of templates/project/cases.gen.ts.hbs: the cases as one-line JSON. */
const SLOT = '{{{json cases}}}';

/**
 * test/cases.gen.ts printed without prettier (issue 8: loading prettier's TypeScript printer for
 * this one data file cost 0.1-0.5 s): the template's text around its single `{{{json cases}}}`
 * is formatted in this repository, and the data is printed the way prettier prints that one-line
 * JSON (printOneLineLiteral). Undefined when the template is not of that shape, so the caller
 * formats the rendering with prettier instead.
 */
export function printCasesFile(template: string, cases: unknown): string | undefined {
  const at = template.indexOf(SLOT);
  if (at < 0 || template.indexOf('{{', at + SLOT.length) >= 0 || template.lastIndexOf('{{', at - 1) >= 0) {
    return undefined;
  }
  const before = template.slice(0, at);
  const after = template.slice(at + SLOT.length);
  // The statement must end right after the data (`;` and the final newline), as prettier would print it.
  if (after !== ';\n' || !before.endsWith(' = ')) return undefined;
  const column = before.length - (before.lastIndexOf('\n') + 1);
  return `${before}${printOneLineLiteral(cases, 0, column, 1)}${after}`;
}
