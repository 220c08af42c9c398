import { describe, expect, it } from 'vitest';
import { withoutDocLinks } from '../../src/model/doc-links.js';

describe('withoutDocLinks: the words of a link stay, its target goes', () => {
  const rows: [string, { given: string; want: string }][] = [
    [
      'no link: the text is returned as it is, spaces included',
      { given: 'Lists pets.  \nPaged.', want: 'Lists pets.  \nPaged.' },
    ],
    [
      'an absolute link',
      {
        given: 'If [issues are disabled](https://docs.github.com/articles/disabling-issues/), it fails.',
        want: 'If issues are disabled, it fails.',
      },
    ],
    [
      'a relative link and an anchor',
      {
        given: 'See [About scanning](/code-security/about) and [below](#limits).',
        want: 'See About scanning and below.',
      },
    ],
    [
      'a link with a title and one level of parentheses in its target',
      { given: 'A [date](https://en.wikipedia.org/wiki/ISO_8601_(format) "ISO") value.', want: 'A date value.' },
    ],
    [
      'an image keeps its alt text',
      { given: 'Shape: ![the diagram](https://x.test/d.png)', want: 'Shape: the diagram' },
    ],
    [
      'an empty label keeps the target, the only text there is',
      { given: 'Docs: [](https://x.test/docs)', want: 'Docs: https://x.test/docs' },
    ],
    [
      'a bare URL is text, not a link',
      { given: 'Must start with https://hooks.example.com/', want: 'Must start with https://hooks.example.com/' },
    ],
    [
      'a link in a code span is an example',
      { given: 'Write `[a](b)` to link, or [c](https://d.test).', want: 'Write `[a](b)` to link, or c.' },
    ],
  ];
  it.each(rows)('%s', (_name, { given, want }) => {
    expect(withoutDocLinks(given)).toBe(want);
  });
});

describe('withoutDocLinks: a sentence that only points at documentation goes whole', () => {
  const rows: [string, { given: string; want: string }][] = [
    [
      'at the end of a parameter description, quoted with the period inside',
      {
        given:
          'The number of results per page (max 100). For more information, see "[Using pagination in the REST API](https://docs.github.com/rest/pagination)."',
        want: 'The number of results per page (max 100).',
      },
    ],
    [
      'alone in its paragraph',
      {
        given: 'Returns the body.\n\nFor more information, see [Media types](https://x.test/m).\n\n- raw: the raw body',
        want: 'Returns the body.\n\n- raw: the raw body',
      },
    ],
    [
      'in the middle of a line',
      {
        given: 'Creates it. For more information, see "[Limits](https://x.test/l)". Then returns it.',
        want: 'Creates it. Then returns it.',
      },
    ],
    [
      'two links joined by "and" over a line break',
      {
        given:
          'May be limited. For more information, see "[Rate limits](https://x.test/r)"\nand "[Best practices](https://x.test/b)."',
        want: 'May be limited.',
      },
    ],
    [
      '"For more information about X" and "For more details"',
      {
        given:
          'A. For more information about roles, see [Roles](https://x.test/r).\nB. For more details, see the [changelog](https://x.test/c).',
        want: 'A.\nB.',
      },
    ],
    [
      'a sentence with words of its own after the link stays (its link unlinked)',
      {
        given: 'For more information, see [Limits](https://x.test/l) for the maximum.',
        want: 'For more information, see Limits for the maximum.',
      },
    ],
    [
      'a pointer without a link is not touched',
      {
        given: 'For more information, see the GitHub documentation.',
        want: 'For more information, see the GitHub documentation.',
      },
    ],
  ];
  it.each(rows)('%s', (_name, { given, want }) => {
    expect(withoutDocLinks(given)).toBe(want);
  });
});

describe('withoutDocLinks: code spans', () => {
  it.each([
    [
      'a code span inside a link label is part of the words',
      'Triggers the [`check_run` webhook](https://docs.x.test/hooks#check_run).',
      'Triggers the `check_run` webhook.',
    ],
    [
      'brackets inside a code span in a label',
      'With the [`GET /a[0]` operation](https://x.test/a).',
      'With the `GET /a[0]` operation.',
    ],
    [
      'a double-backtick span holding a link is left alone',
      'Write ``[a](`b`)`` literally.',
      'Write ``[a](`b`)`` literally.',
    ],
    [
      'a pointer whose link label holds code',
      'Lists runs. For more information, see "[`gh run`](https://x.test/gh)."',
      'Lists runs.',
    ],
  ])('%s', (_name, given, want) => {
    expect(withoutDocLinks(given)).toBe(want);
  });
});
