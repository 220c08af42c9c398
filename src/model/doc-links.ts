/**
 * Descriptions as a model reads them: the words of a Markdown link without
 * its target. A model choosing a tool or filling its arguments cannot follow
 * a link, and a documentation URL in every description of a large API is a
 * large share of `tools/list` (GitHub: 133 KB of 4.1 MB). The link text, the
 * sentence around it and everything else stay; a bare URL written as text
 * (an example value, a required prefix) is not a link and stays too.
 *
 * A sentence that only points at documentation ("For more information, see
 * [Media types](https://...)."), once its link is gone, points at nothing: it
 * is removed whole. Only that English phrase is recognised, and only when the
 * sentence ends with the link(s): "For more information, see X for the
 * limits." carries words of its own and stays.
 *
 * Inline code spans are left as they are: `[a](b)` inside backticks is an
 * example, not a link. CommonMark §6.3 (links), §6.1 (code spans).
 * @see https://spec.commonmark.org/0.31.2/#links
 */
export function withoutDocLinks(text: string): string {
  if (!text.includes('](')) return text;
  let pointers = 0;
  const unpointed = text.replace(POINTER, () => {
    pointers++;
    return '';
  });
  // A code span is matched first where it starts, and given back as it is.
  const out = unpointed.replace(LINK_OR_CODE, (match, ticks: string | undefined, label: string, target: string) => {
    if (ticks !== undefined) return match;
    // An empty label would leave nothing: the target is then the only text there is.
    return label.trim() === '' ? target : label;
  });
  return pointers === 0 ? out : tidy(out);
}

/** A link's label: text, or code spans that may hold brackets (`[\`GET /x\` operation](...)`). */
const LABEL = String.raw`(?:[^[\]\n\`]|\`[^\`\n]*\`)*`;
/** `(target "title")`; a target may hold one level of balanced parentheses (Wikipedia URLs). */
const TARGET = String.raw`\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+"[^"\n]*")?\s*\)`;
/**
 * A code span (CommonMark §6.1: a backtick run, up to the next run of the
 * same length; runs are whole, so a failed span never retries shorter), or
 * `[label](target)` / `![alt](src)`.
 */
const LINK_OR_CODE = new RegExp(String.raw`(?<!\`)(\`+)(?!\`)[\s\S]*?(?<!\`)\1(?!\`)|!?\[(${LABEL})\]${TARGET}`, 'g');
const QUOTED_LINK = String.raw`"?\[${LABEL}\]${TARGET}"?`;
/**
 * "For more information[ about X], see "[A](u)" [and "[B](v)"]." at the start
 * of a sentence (after start of text, a newline, or `. `), ending with the
 * last link: a period after it, or the end of the line.
 */
const POINTER = new RegExp(
  String.raw`(?<=^|\n|[.!?]"? )For more (?:information|details)(?: [^,.\n"\[\]]{1,80})?,? see (?:the )?${QUOTED_LINK}(?:,?\s(?:and|or)\s${QUOTED_LINK})*(?:\."?|(?=\n|$))(?=\s|$)`,
  'g',
);

/** What removing a sentence leaves behind: spaces before a line end, a run of blank lines, an empty first or last line. */
function tidy(text: string): string {
  return text
    .replace(/ {2,}(?=[^\s])/g, (m, offset: number) => (offset > 0 && text[offset - 1] === '\n' ? m : ' '))
    .replace(/[ \t]+(?=\n|$)/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
