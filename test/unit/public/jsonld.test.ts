import fc from 'fast-check';
import { jsonLdScript } from '../../../src/public/jsonld';

// The JSON-LD block is raw text inside <script>: nothing in it may end the element or open a comment.

describe('jsonLdScript', () => {
  it('writes "<", ">" and "&" as JSON escapes, so "</script>" in a value cannot end the block', () => {
    const html = jsonLdScript({ note: '</script><script>alert(1)</script><!-- & \u2028' }).toString();
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html.endsWith('</script>')).toBe(true);
    expect(html).not.toContain('<!--');
    const json = html.slice('<script type="application/ld+json">'.length, -'</script>'.length);
    expect(JSON.parse(json)).toEqual({ note: '</script><script>alert(1)</script><!-- & \u2028' });
  });

  it('round-trips any value and never closes the element early (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const html = jsonLdScript(value).toString();
        const body = html.slice('<script type="application/ld+json">'.length, -'</script>'.length);
        expect(body).not.toMatch(/[<>&]/);
        expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
