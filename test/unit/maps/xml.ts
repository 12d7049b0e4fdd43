// A strict little well-formedness check for the SVG we emit: one root, balanced tags, quoted and unique
// attributes, and every & starting a known entity. No XML parser is installed, and this is all we need.

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITY = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

function checkText(text: string, where: number): void {
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    if (!ENTITY.test(text.slice(i))) throw new Error(`bad entity at ${where + i}: ${text.slice(i, i + 12)}`);
  }
  if (text.includes('<')) throw new Error(`raw < at ${where}`);
}

/** Throws with a position when the string is not well-formed XML. */
export function assertWellFormedXml(xml: string): void {
  let i = 0;
  if (xml.startsWith('<?xml')) {
    i = xml.indexOf('?>') + 2;
    if (i < 2) throw new Error('unterminated prolog');
  }
  const stack: string[] = [];
  let roots = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root at ${i}`);
    checkText(text, i);
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const name = NAME.exec(xml.slice(i + 2))?.[0];
      const open = stack.pop();
      if (!name || name !== open || xml[i + 2 + name.length] !== '>')
        throw new Error(`mismatched </${name}> for <${open}> at ${i}`);
      i += 3 + name.length;
      continue;
    }
    const name = NAME.exec(xml.slice(i + 1))?.[0];
    if (!name) throw new Error(`bad tag at ${i}`);
    if (stack.length === 0 && ++roots > 1) throw new Error('more than one root element');
    i += 1 + name.length;
    const seen = new Set<string>();
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))?.[0].length ?? 0;
      i += ws;
      if (xml.startsWith('/>', i)) {
        i += 2;
        break;
      }
      if (xml[i] === '>') {
        stack.push(name);
        i += 1;
        break;
      }
      if (ws === 0) throw new Error(`missing space before attribute at ${i}`);
      const attr = NAME.exec(xml.slice(i))?.[0];
      if (!attr || xml[i + attr.length] !== '=' || xml[i + attr.length + 1] !== '"')
        throw new Error(`bad attribute at ${i}`);
      if (seen.has(attr)) throw new Error(`duplicate attribute ${attr} at ${i}`);
      seen.add(attr);
      const start = i + attr.length + 2;
      const end = xml.indexOf('"', start);
      if (end < 0) throw new Error(`unterminated attribute at ${i}`);
      checkText(xml.slice(start, end), start);
      i = end + 1;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('><')}>`);
  if (roots !== 1) throw new Error('no root element');
}
