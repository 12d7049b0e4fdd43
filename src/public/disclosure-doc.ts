import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { marked } from 'marked';
import { fromRoot } from '../platform/paths';

// docs/disclosure.md, the rule every release obeys, served as a page: the methodology links to it so that
// anyone can read exactly what the software promises about withheld numbers. The text is ours (never
// reporters'), rendered once per process.

let rendered: Handlebars.SafeString | null = null;

/** The disclosure rule as HTML, from the same Markdown file the repository holds. */
export function disclosureHtml(): Handlebars.SafeString {
  rendered ??= new Handlebars.SafeString(
    marked.parse(readFileSync(fromRoot('docs', 'disclosure.md'), 'utf8'), { async: false, gfm: true }),
  );
  return rendered;
}
