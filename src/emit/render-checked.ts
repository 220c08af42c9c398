import { renderTemplate } from './project-templates.js';

/**
 * Text prettier's markdown printer leaves as it is, wherever the README template puts a value
 * (inside a line of prose, a heading or a code span): ASCII words of letters, digits and
 * punctuation without Markdown meaning (no `*`, `_`, `` ` ``, `[`, `<`, `#`, `|`, `\`, `&`, `!`,
 * `~`), one space apart, or an identifier such as an environment variable name.
 */
// Words one space apart, each space required: no nested quantifier can backtrack (spec text is hostile).
export const MARKDOWN_PLAIN = /^(?:[A-Z0-9_]+| ?[A-Za-z0-9.,:;()/@+='-]+(?: [A-Za-z0-9.,:;()/@+='-]+)*|)$/;

/**
 * Text prettier's YAML printer leaves as it is in a comment, a block scalar or a plain or
 * single-quoted scalar of the project's YAML files, short enough (53) that no flow mapping it is
 * in grows past the print width (prettier would break it; kubernetes.yaml's longest line with a
 * value is 67 characters and the value), and generate flags (`--config file`).
 */
export const YAML_PLAIN =
  /^(?:[A-Za-z0-9@.][A-Za-z0-9@._/:+=-]{0,52}|(?: --[a-z][a-z-]* [A-Za-z0-9@._/+=-]{1,60}){0,4})$/;

export interface CheckedRendering {
  readonly text: string;
  /**
   * Every string the template read (apart from the `exempt` top-level keys) matched `plain`: the
   * template's own text being in prettier's format (a test checks it), so is the rendering.
   */
  readonly plain: boolean;
}

/**
 * `renderTemplate` that also tells whether every string the template read is `plain`. The data
 * is seen through a proxy, so whatever the template comes to read (a value it prints, a
 * condition, a helper's argument) is checked, without a list of fields to keep in step with the
 * template. Reading more than it prints only errs towards prettier.
 */
export function renderChecked(
  name: string,
  data: object,
  plain: RegExp,
  exempt: ReadonlySet<string> = new Set(),
): CheckedRendering {
  let allPlain = true;
  const proxies = new WeakMap<object, object>();
  const view = (target: object, top: boolean): object => {
    const known = proxies.get(target);
    if (known) return known;
    const proxy = new Proxy(target, {
      get(object, key, receiver) {
        const value: unknown = Reflect.get(object, key, receiver);
        if (top && typeof key === 'string' && exempt.has(key)) return value;
        if (typeof value === 'string') {
          if (!plain.test(value)) allPlain = false;
          return value;
        }
        return value !== null && typeof value === 'object' ? view(value, false) : value;
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  const text = renderTemplate(name, view(data, true));
  return { text, plain: allPlain };
}
