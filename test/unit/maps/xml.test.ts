import { assertWellFormedXml } from './xml';

// The checker must itself be able to fail, or the SVG tests that lean on it prove nothing.
describe('assertWellFormedXml', () => {
  it('accepts a small well-formed document with a prolog and entities', () => {
    expect(() =>
      assertWellFormedXml('<?xml version="1.0"?>\n<a x="1 &amp; 2"><b/><c>&lt;ok&#38;</c></a>'),
    ).not.toThrow();
  });

  it.each([
    ['an unescaped ampersand', '<a>Q&A</a>'],
    ['a raw < in an attribute', '<a t="<"/>'],
    ['a mismatched end tag', '<a><b></a></b>'],
    ['an unclosed element', '<a><b>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['two roots', '<a/><b/>'],
    ['an unquoted attribute', '<a x=1/>'],
  ])('rejects %s', (_name, xml) => {
    expect(() => assertWellFormedXml(xml)).toThrow();
  });
});
