import { Router } from 'express';

// RFC 9116: how to report a vulnerability, at /.well-known/security.txt. The contact is the operator's
// security@ address on the public origin's domain (SECURITY.md asks operators to make it reach them);
// Expires is recomputed from today so a running deployment never serves a stale file, and is kept well
// under the RFC's one-year ceiling.

const EXPIRES_AFTER_DAYS = 180;

/** The security.txt body for a public origin, expiring EXPIRES_AFTER_DAYS after `today`. */
export function securityTxt(origin: string, today: Date): string {
  const expires = new Date(today.getTime() + EXPIRES_AFTER_DAYS * 24 * 60 * 60 * 1000);
  expires.setUTCHours(0, 0, 0, 0);
  return [
    `Contact: mailto:security@${new URL(origin).hostname}`,
    `Expires: ${expires.toISOString().replace('.000Z', 'Z')}`,
    'Preferred-Languages: en, es',
    `Canonical: ${origin}/.well-known/security.txt`,
    '',
  ].join('\n');
}

/** GET /.well-known/security.txt (one file for both languages: the field lists them). */
export function securityTxtRouter(origin: string, today: () => Date): Router {
  const router = Router();
  router.get('/.well-known/security.txt', (_req, res) => {
    res
      .type('text/plain; charset=utf-8')
      .set('Cache-Control', 'public, max-age=86400')
      .send(securityTxt(origin, today()));
  });
  return router;
}
