import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { fromRoot } from './paths';

// Self-hosted static files (promise 2: nothing from a third party) under fingerprinted names, so they can
// be cached for a year and still change the moment a file does.

const PUBLIC_DIR = fromRoot('public');

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface Assets {
  /** The fingerprinted URL of a file under public/, e.g. url('css/app.css') → /assets/css/app.1a2b3c4d.css */
  url(logicalPath: string): string;
  middleware: RequestHandler;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

/** Hashes every file under public/ once at start-up and serves them under /assets/ with immutable caching. */
export function loadAssets(dir = PUBLIC_DIR): Assets {
  const byLogical = new Map<string, string>();
  const byUrl = new Map<string, { body: Buffer; type: string }>();
  for (const logical of listFiles(dir)) {
    const body = readFileSync(path.join(dir, logical));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
    const ext = path.extname(logical);
    const url = `/assets/${logical.slice(0, -ext.length)}.${hash}${ext}`;
    byLogical.set(logical, url);
    byUrl.set(url, { body, type: TYPES[ext] ?? 'application/octet-stream' });
  }
  return {
    url(logicalPath) {
      const url = byLogical.get(logicalPath);
      if (!url) throw new Error(`unknown asset ${logicalPath}`);
      return url;
    },
    middleware(req, res, next) {
      const asset = byUrl.get(req.path);
      if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
      res.setHeader('Content-Type', asset.type);
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.end(req.method === 'HEAD' ? undefined : asset.body);
    },
  };
}
